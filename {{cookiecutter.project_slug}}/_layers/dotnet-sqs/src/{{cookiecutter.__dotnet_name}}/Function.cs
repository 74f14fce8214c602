{%- set project = cookiecutter.__dotnet_name -%}
using System.Text.Json;
using Amazon.Lambda.Core;
{%- if cookiecutter.base_image == "custom" %}
using Amazon.Lambda.RuntimeSupport;
{%- endif %}
using Amazon.Lambda.Serialization.SystemTextJson;
using Amazon.Lambda.SQSEvents;

// The event and the response cross the Runtime API as JSON, (de)serialised with System.Text.Json.
[assembly: LambdaSerializer(typeof(DefaultLambdaJsonSerializer))]

namespace {{ project }};

/// <summary>
/// Behind an SQS queue: greets the caller named in each message body (<c>{"name": "Ada"}</c>) and reports the
/// messages it could not process, so that SQS redelivers only those.
/// </summary>
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
            .Create<SQSEvent, SQSBatchResponse>(function.FunctionHandler, new DefaultLambdaJsonSerializer())
            .Build()
            .RunAsync();
    }
{% endif %}
    /// <summary>
    /// The handler: <c>{{ project }}::{{ project }}.Function::FunctionHandler</c>. It answers the partial batch
    /// response: the ids of the failed messages, in order. The event source mapping needs
    /// ReportBatchItemFailures: without it Lambda ignores this answer and deletes the whole batch.
    /// </summary>
    public SQSBatchResponse FunctionHandler(SQSEvent sqsEvent, ILambdaContext context)
    {
        var failures = new List<SQSBatchResponse.BatchItemFailure>();
        foreach (var message in sqsEvent.Records)
        {
            try
            {
                var greeting = GreetMessage(message.Body);
                JsonLog.Write(context, "INFO", "greeted", ("message_id", message.MessageId), ("greeting", greeting.Message));
            }
            catch (Exception error)
            {
                // Whatever went wrong, only this message is retried (and, after maxReceiveCount, dead-lettered).
                JsonLog.Write(context, "WARN", "message failed", ("message_id", message.MessageId), ("error", error.Message));
                failures.Add(new SQSBatchResponse.BatchItemFailure { ItemIdentifier = message.MessageId });
            }
        }
        return new SQSBatchResponse(failures);
    }

    /// <summary>Greets the name a message body gives: a JSON object such as <c>{"name": "Ada"}</c>.</summary>
    public static Greeting GreetMessage(string? body)
    {
        JsonElement document;
        try
        {
            using var parsed = JsonDocument.Parse(body ?? "");
            document = parsed.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new FormatException("the message body is not valid JSON");
        }
        if (document.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the message body must be a JSON object");
        }
        return Greeter.Greet(Greeter.ReadName(document));
    }
}
