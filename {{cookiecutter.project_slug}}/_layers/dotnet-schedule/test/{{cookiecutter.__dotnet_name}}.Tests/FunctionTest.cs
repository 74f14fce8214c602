{%- set project = cookiecutter.__dotnet_name -%}
using System.Text.Json;
using Amazon.Lambda.CloudWatchEvents.ScheduledEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.TestUtilities;
using Xunit;

namespace {{ project }}.Tests;

/// <summary>Every sample scheduled event through the handler.</summary>
public class SampleEventTest : SampleEventTests<ScheduledEvent, ScheduledRun>
{
    protected override ScheduledRun Handle(ScheduledEvent input, ILambdaContext context) =>
        new Function().FunctionHandler(input, context);
}

/// <summary>What the sample event cannot show.</summary>
public class FunctionTest
{
    private static ScheduledEvent Event(string detailType) => new()
    {
        Id = "run-1",
        DetailType = detailType,
        Time = new DateTime(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc),
        Resources = ["arn:aws:events:us-east-1:123456789012:rule/hourly"],
    };

    [Fact]
    public void LogsOneJsonLineKeyedByTheEventId()
    {
        var logger = new TestLambdaLogger();
        var context = new TestLambdaContext { AwsRequestId = "test-request", Logger = logger };

        new Function().FunctionHandler(Event("Scheduled Event"), context);

        var entry = JsonDocument.Parse(Assert.Single(logger.Buffer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))).RootElement;
        Assert.Equal("scheduled run", entry.GetProperty("message").GetString());
        Assert.Equal("run-1", entry.GetProperty("event_id").GetString());
        Assert.Equal("2026-11-29T12:00:00Z", entry.GetProperty("scheduled_time").GetString());
        Assert.Equal("test-request", entry.GetProperty("request_id").GetString());
    }

    [Fact]
    public void AnEventThatIsNotAScheduledEventIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Function().FunctionHandler(Event("Object Created"), new TestLambdaContext()));
        Assert.Equal("expected an EventBridge \"Scheduled Event\", got detail-type \"Object Created\"", error.Message);
    }
}
