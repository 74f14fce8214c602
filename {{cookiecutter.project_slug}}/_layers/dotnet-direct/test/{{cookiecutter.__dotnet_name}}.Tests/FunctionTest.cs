{%- set project = cookiecutter.__dotnet_name -%}
using System.Text.Json;
using Amazon.Lambda.Core;
using Amazon.Lambda.TestUtilities;
using Xunit;

namespace {{ project }}.Tests;

/// <summary>Every sample event through the direct handler.</summary>
public class SampleEventTest : SampleEventTests<JsonElement, Greeting>
{
    protected override Greeting Handle(JsonElement input, ILambdaContext context) =>
        new Function().FunctionHandler(input, context);
}

/// <summary>What the sample events cannot show.</summary>
public class FunctionTest
{
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
