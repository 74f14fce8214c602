{%- set project = cookiecutter.project_slug.title().replace('-', '') -%}
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Lambda.Core;
{%- if cookiecutter.base_image == "custom" %}
using Amazon.Lambda.RuntimeSupport;
{%- endif %}
using Amazon.Lambda.Serialization.SystemTextJson;

// The event and the response cross the Runtime API as JSON, (de)serialised with System.Text.Json.
[assembly: LambdaSerializer(typeof(DefaultLambdaJsonSerializer))]

namespace {{ project }};

/// <summary>The function's answer: <c>{"message": "Hello, NAME!"}</c>.</summary>
public sealed record Greeting([property: JsonPropertyName("message")] string Message);

/// <summary>Greets the caller named in the event and logs one JSON line per request.</summary>
public class Function
{
{%- if cookiecutter.base_image == "custom" %}
    /// <summary>
    /// Entry point of the custom-base image, which has no Lambda runtime of its own:
    /// Amazon.Lambda.RuntimeSupport fetches each event from the Runtime API and calls the handler.
    /// </summary>
    public static async Task Main()
    {
        var function = new Function();
        await LambdaBootstrapBuilder
            .Create<JsonElement, Greeting>(function.FunctionHandler, new DefaultLambdaJsonSerializer())
            .Build()
            .RunAsync();
    }
{% endif %}
    /// <summary>The handler: <c>{{ project }}::{{ project }}.Function::FunctionHandler</c>.</summary>
    public Greeting FunctionHandler(JsonElement input, ILambdaContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var greeting = Greet(ReadName(input));
        var tookMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
        context.Logger.LogLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["level"] = "INFO",
            ["message"] = "greeted",
            ["request_id"] = context.AwsRequestId,
            ["duration_ms"] = tookMs,
        }));
        return greeting;
    }

    /// <summary>The business logic, free of Lambda types so that it is trivial to test.</summary>
    public static Greeting Greet(string? name) =>
        new($"Hello, {(string.IsNullOrEmpty(name) ? "world" : name)}!");

    /// <summary>The event's <c>name</c>: absent or null means none; anything but a string is refused.</summary>
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
            throw new ArgumentException("name must be a string");
        }
        return name.GetString();
    }
}
