{%- set project = cookiecutter.__dotnet_name -%}
using System.Text.Json;
using Amazon.Lambda.Core;
using Amazon.Lambda.S3Events;
using Amazon.Lambda.TestUtilities;
using Xunit;

namespace {{ project }}.Tests;

/// <summary>Every sample notification through the S3 handler.</summary>
public class SampleEventTest : SampleEventTests<S3Event, Processed>
{
    protected override Processed Handle(S3Event input, ILambdaContext context) =>
        new Function().FunctionHandler(input, context);
}

/// <summary>What the sample events cannot show.</summary>
public class FunctionTest
{
    private static S3Event.S3EventNotificationRecord Record(string eventName, string key) => new()
    {
        EventName = eventName,
        S3 = new S3Event.S3Entity
        {
            Bucket = new S3Event.S3BucketEntity { Name = "example-bucket" },
            Object = new S3Event.S3ObjectEntity { Key = key, Size = 3 },
        },
    };

    [Fact]
    public void LogsOneJsonLinePerObjectCreated()
    {
        var logger = new TestLambdaLogger();
        var context = new TestLambdaContext { AwsRequestId = "test-request", Logger = logger };
        var notification = new S3Event
        {
            Records =
            [
                Record("ObjectCreated:Put", "a+b.txt"),
                Record("ObjectRemoved:Delete", "gone.txt"),
            ],
        };

        var answer = new Function().FunctionHandler(notification, context);

        Assert.Equal(new CreatedObject("example-bucket", "a b.txt", 3), Assert.Single(answer.Objects));
        var entry = JsonDocument.Parse(Assert.Single(logger.Buffer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))).RootElement;
        Assert.Equal("object created", entry.GetProperty("message").GetString());
        Assert.Equal("a b.txt", entry.GetProperty("key").GetString());
        Assert.Equal(3, entry.GetProperty("size").GetInt64());
        Assert.Equal("test-request", entry.GetProperty("request_id").GetString());
    }

    [Fact]
    public void ANotificationWithoutObjectsCreatedAnswersAnEmptyList()
    {
        var answer = new Function().FunctionHandler(new S3Event { Records = [] }, new TestLambdaContext());
        Assert.Empty(answer.Objects);
    }
}
