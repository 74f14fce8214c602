{%- set project = cookiecutter.__dotnet_name -%}
using System.Text.Json;
using Amazon.Lambda.Core;
using Amazon.Lambda.SQSEvents;
using Amazon.Lambda.TestUtilities;
using Xunit;

namespace {{ project }}.Tests;

/// <summary>Every sample batch through the SQS handler.</summary>
public class SampleEventTest : SampleEventTests<SQSEvent, SQSBatchResponse>
{
    protected override SQSBatchResponse Handle(SQSEvent input, ILambdaContext context) =>
        new Function().FunctionHandler(input, context);
}

/// <summary>What the sample events cannot show.</summary>
public class FunctionTest
{
    [Theory]
    [InlineData("not json at all", "the message body is not valid JSON")]
    [InlineData("", "the message body is not valid JSON")]
    [InlineData("""["Ada"]""", "the message body must be a JSON object")]
    [InlineData("""{"name": 42}""", "name must be a string")]
    public void RefusesABodyThatIsNotAnObjectWithAStringName(string body, string message)
    {
        var error = Assert.ThrowsAny<Exception>(() => Function.GreetMessage(body));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void LogsOneJsonLinePerMessage()
    {
        var logger = new TestLambdaLogger();
        var context = new TestLambdaContext { AwsRequestId = "test-request", Logger = logger };
        var batch = new SQSEvent
        {
            Records =
            [
                new SQSEvent.SQSMessage { MessageId = "good", Body = """{"name": "Ada"}""" },
                new SQSEvent.SQSMessage { MessageId = "poison", Body = """{"name": 42}""" },
            ],
        };

        var answer = new Function().FunctionHandler(batch, context);

        Assert.Equal("poison", Assert.Single(answer.BatchItemFailures).ItemIdentifier);
        var lines = logger.Buffer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("INFO", lines[0].GetProperty("level").GetString());
        Assert.Equal("good", lines[0].GetProperty("message_id").GetString());
        Assert.Equal("Hello, Ada!", lines[0].GetProperty("greeting").GetString());
        Assert.Equal("WARN", lines[1].GetProperty("level").GetString());
        Assert.Equal("poison", lines[1].GetProperty("message_id").GetString());
        Assert.Equal("name must be a string", lines[1].GetProperty("error").GetString());
        Assert.Equal("test-request", lines[0].GetProperty("request_id").GetString());
    }
}
