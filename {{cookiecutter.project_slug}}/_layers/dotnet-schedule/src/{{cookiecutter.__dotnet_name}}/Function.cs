{%- set project = cookiecutter.__dotnet_name -%}
using System.Globalization;
using System.Text.Json.Serialization;
using Amazon.Lambda.CloudWatchEvents.ScheduledEvents;
using Amazon.Lambda.Core;
{%- if cookiecutter.base_image == "custom" %}
using Amazon.Lambda.RuntimeSupport;
{%- endif %}
using Amazon.Lambda.Serialization.SystemTextJson;

// The event and the response cross the Runtime API as JSON, (de)serialised with System.Text.Json.
[assembly: LambdaSerializer(typeof(DefaultLambdaJsonSerializer))]

namespace {{ project }};

/// <summary>What one scheduled run did, keyed by the event id so that a redelivered event is recognisable.</summary>
public sealed record ScheduledRun(
    [property: JsonPropertyName("eventId")] string EventId,
    [property: JsonPropertyName("scheduledTime")] string ScheduledTime,
    [property: JsonPropertyName("message")] string Message);

/// <summary>Invoked by an EventBridge schedule: does its job (here, a greeting) and logs what it did.</summary>
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
            .Create<ScheduledEvent, ScheduledRun>(function.FunctionHandler, new DefaultLambdaJsonSerializer())
            .Build()
            .RunAsync();
    }
{% endif %}
    /// <summary>The handler: <c>{{ project }}::{{ project }}.Function::FunctionHandler</c>.</summary>
    public ScheduledRun FunctionHandler(ScheduledEvent scheduledEvent, ILambdaContext context)
    {
        if (scheduledEvent.DetailType != "Scheduled Event")
        {
            throw new ArgumentException(
                $"expected an EventBridge \"Scheduled Event\", got detail-type \"{scheduledEvent.DetailType}\"");
        }
        var greeting = Greeter.Greet(null);
        var run = new ScheduledRun(scheduledEvent.Id, EventBridgeTime(scheduledEvent.Time), greeting.Message);
        JsonLog.Write(context, "INFO", "scheduled run", ("event_id", run.EventId),
            ("scheduled_time", run.ScheduledTime), ("rules", scheduledEvent.Resources), ("greeting", run.Message));
        return run;
    }

    /// <summary>
    /// The event's time as EventBridge writes it, in UTC to the second ("2026-11-29T12:00:00Z"): the type holds
    /// it as a DateTime, and the answer repeats it as it was sent.
    /// </summary>
    public static string EventBridgeTime(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
