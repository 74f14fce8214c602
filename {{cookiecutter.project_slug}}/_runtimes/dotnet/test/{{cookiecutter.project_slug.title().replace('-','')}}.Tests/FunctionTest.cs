{%- set project = cookiecutter.project_slug.title().replace('-', '') -%}
using System.Text.Json;
using Amazon.Lambda.Serialization.SystemTextJson;
using Amazon.Lambda.TestUtilities;
using Xunit;

namespace {{ project }}.Tests;

/// <summary>Unit tests: the handler against every sample event, with no network and no emulator.</summary>
public class FunctionTest
{
    private static readonly string Events = Path.Combine(AppContext.BaseDirectory, "events");

    // The serializer the runtime uses, so that events and answers go through the same JSON as in Lambda.
    private static readonly DefaultLambdaJsonSerializer Serializer = new();

    public static TheoryData<string> SampleEvents()
    {
        var names = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Events, "*.json").Order(StringComparer.Ordinal))
        {
            if (!path.EndsWith(".expected.json", StringComparison.Ordinal))
            {
                names.Add(Path.GetFileNameWithoutExtension(path));
            }
        }
        return names;
    }

    [Theory]
    [MemberData(nameof(SampleEvents))]
    public void AnswersEachSampleEventAsExpected(string name)
    {
        using var eventStream = File.OpenRead(Path.Combine(Events, $"{name}.json"));
        var input = Serializer.Deserialize<JsonElement>(eventStream);
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Events, $"{name}.expected.json"))).RootElement;
        var context = new TestLambdaContext { AwsRequestId = "test-request" };

        if (expected.TryGetProperty("errorMessage", out var errorMessage))
        {
            var error = Assert.ThrowsAny<Exception>(() => new Function().FunctionHandler(input, context));
            Assert.Equal(errorMessage.GetString(), error.Message);
            return;
        }

        var answer = new Function().FunctionHandler(input, context);
        using var answerStream = new MemoryStream();
        Serializer.Serialize(answer, answerStream);
        var actual = JsonDocument.Parse(answerStream.ToArray()).RootElement;
        Assert.True(JsonElement.DeepEquals(expected, actual), $"expected {expected}, got {actual}");
    }

    [Fact]
    public void GreetsWorldWhenNameIsEmpty()
    {
        Assert.Equal(new Greeting("Hello, world!"), Function.Greet(""));
    }

    [Fact]
    public void RejectsANameThatIsNotAString()
    {
        var input = JsonDocument.Parse("""{"name": ["Ada"]}""").RootElement;
        var error = Assert.Throws<ArgumentException>(() => Function.ReadName(input));
        Assert.Equal("name must be a string", error.Message);
    }

    [Fact]
    public void LogsOneJsonLinePerRequest()
    {
        var logger = new TestLambdaLogger();
        var context = new TestLambdaContext { AwsRequestId = "test-request", Logger = logger };
        var input = JsonDocument.Parse("""{"name": "Ada"}""").RootElement;

        new Function().FunctionHandler(input, context);

        var line = Assert.Single(logger.Buffer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var entry = JsonDocument.Parse(line).RootElement;
        Assert.Equal("INFO", entry.GetProperty("level").GetString());
        Assert.Equal("greeted", entry.GetProperty("message").GetString());
        Assert.Equal("test-request", entry.GetProperty("request_id").GetString());
        Assert.True(entry.GetProperty("duration_ms").GetDouble() >= 0);
    }
}
