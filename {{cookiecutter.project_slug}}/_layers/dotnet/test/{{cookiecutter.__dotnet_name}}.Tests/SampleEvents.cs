{%- set project = cookiecutter.__dotnet_name -%}
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Lambda.Core;
using Amazon.Lambda.Serialization.SystemTextJson;
using Amazon.Lambda.TestUtilities;
using Xunit;

namespace {{ project }}.Tests;

/// <summary>The sample events the emulator test also sends, copied beside the test assembly.</summary>
public static class SampleEvents
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "events");

    /// <summary>The name of every events/NAME.json that is not itself an expected answer.</summary>
    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            if (!path.EndsWith(".expected.json", StringComparison.Ordinal))
            {
                names.Add(Path.GetFileNameWithoutExtension(path));
            }
        }
        return names;
    }

    /// <summary>
    /// A proxy response as API Gateway reads it: header names in any case, the JSON body parsed, and the
    /// fields a typed response adds when empty (null, isBase64Encoded false) left out. Other answers as they are.
    /// </summary>
    public static JsonNode? AsHttpAnswer(JsonNode? answer)
    {
        if (answer is not JsonObject response || !response.ContainsKey("statusCode"))
        {
            return answer;
        }
        var read = new JsonObject();
        foreach (var (key, value) in response)
        {
            if (value is not null && !(key == "isBase64Encoded" && value.GetValueKind() == JsonValueKind.False))
            {
                read[key] = value.DeepClone();
            }
        }
        if (read["headers"] is JsonObject headers)
        {
            var lowerCase = new JsonObject();
            foreach (var (name, value) in headers)
            {
                lowerCase[name.ToLowerInvariant()] = value?.DeepClone();
            }
            read["headers"] = lowerCase;
        }
        if (read["body"] is JsonValue body && body.TryGetValue<string>(out var text))
        {
            try
            {
                read["body"] = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Not JSON: compared as the text it is.
            }
        }
        return read;
    }
}

/// <summary>
/// Every sample event through the handler, deserialised and its answer serialised by the serializer Lambda
/// uses, must give events/NAME.expected.json (an error answer is compared on its errorMessage). Each trigger's
/// tests derive from this class with the handler's input and output types.
/// </summary>
public abstract class SampleEventTests<TInput, TOutput>
{
    private static readonly DefaultLambdaJsonSerializer Serializer = new();

    /// <summary>Calls the handler, as the runtime does.</summary>
    protected abstract TOutput Handle(TInput input, ILambdaContext context);

    [Theory]
    [MemberData(nameof(SampleEvents.Names), MemberType = typeof(SampleEvents))]
    public void AnswersEachSampleEventAsExpected(string name)
    {
        using var eventStream = File.OpenRead(Path.Combine(SampleEvents.Folder, $"{name}.json"));
        var input = Serializer.Deserialize<TInput>(eventStream);
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(SampleEvents.Folder, $"{name}.expected.json")));
        var context = new TestLambdaContext { AwsRequestId = "test-request" };

        if (expected is JsonObject error && error.TryGetPropertyValue("errorMessage", out var errorMessage))
        {
            var thrown = Assert.ThrowsAny<Exception>(() => Handle(input, context));
            Assert.Equal(errorMessage?.GetValue<string>(), thrown.Message);
            return;
        }

        using var answerStream = new MemoryStream();
        Serializer.Serialize(Handle(input, context), answerStream);
        var actual = JsonNode.Parse(answerStream.ToArray());
        Assert.True(JsonNode.DeepEquals(SampleEvents.AsHttpAnswer(expected), SampleEvents.AsHttpAnswer(actual)),
            $"expected {expected?.ToJsonString()}, got {actual?.ToJsonString()}");
    }
}
