{%- set project = cookiecutter.__dotnet_name -%}
using System.Text.Json;
using System.Text.Json.Serialization;

namespace {{ project }};

/// <summary>The business logic's answer: <c>{"message": "Hello, NAME!"}</c>.</summary>
public sealed record Greeting([property: JsonPropertyName("message")] string Message);

/// <summary>The caller was named with something other than a string.</summary>
public sealed class NameNotStringException : ArgumentException
{
    public NameNotStringException() : base("name must be a string") { }
}

/// <summary>The business logic, free of Lambda types so that it is trivial to test.</summary>
public static class Greeter
{
    /// <summary>Greets the caller by name; no name, or an empty one, greets the world.</summary>
    public static Greeting Greet(string? name) =>
        new($"Hello, {(string.IsNullOrEmpty(name) ? "world" : name)}!");

    /// <summary>A JSON object's <c>name</c>: absent or null means none; anything but a string is refused.</summary>
    public static string? ReadName(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object
            || !input.TryGetProperty("name", out var name)
            || name.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (name.ValueKind != JsonValueKind.String)
        {
            throw new NameNotStringException();
        }
        return name.GetString();
    }
}
