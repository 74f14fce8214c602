{%- set project = cookiecutter.__dotnet_name -%}
using System.Text.Json.Serialization;
using Amazon.Lambda.Core;
{%- if cookiecutter.base_image == "custom" %}
using Amazon.Lambda.RuntimeSupport;
{%- endif %}
using Amazon.Lambda.S3Events;
using Amazon.Lambda.Serialization.SystemTextJson;

// The event and the response cross the Runtime API as JSON, (de)serialised with System.Text.Json.
[assembly: LambdaSerializer(typeof(DefaultLambdaJsonSerializer))]

namespace {{ project }};

/// <summary>An object created: its bucket, its key (URL-decoded) and its size in bytes.</summary>
public sealed record CreatedObject(
    [property: JsonPropertyName("bucket")] string Bucket,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("size")] long Size);

/// <summary>The function's answer: the objects created, in the order of the event's records.</summary>
public sealed record Processed([property: JsonPropertyName("processed")] IReadOnlyList<CreatedObject> Objects);

/// <summary>
/// Behind an S3 bucket's notifications: reports each object created and logs one line for it; other records
/// (an object removed, restored...) are skipped.
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
            .Create<S3Event, Processed>(function.FunctionHandler, new DefaultLambdaJsonSerializer())
            .Build()
            .RunAsync();
    }
{% endif %}
    /// <summary>The handler: <c>{{ project }}::{{ project }}.Function::FunctionHandler</c>.</summary>
    public Processed FunctionHandler(S3Event s3Event, ILambdaContext context)
    {
        var created = new List<CreatedObject>();
        foreach (var record in s3Event.Records)
        {
            if (record.EventName?.StartsWith("ObjectCreated:", StringComparison.Ordinal) != true)
            {
                continue;
            }
            // S3 sends the key URL-encoded ('+' for a space); KeyDecoded decodes it.
            var createdObject = new CreatedObject(record.S3.Bucket.Name, record.S3.Object.KeyDecoded, record.S3.Object.Size);
            JsonLog.Write(context, "INFO", "object created", ("event_name", record.EventName),
                ("bucket", createdObject.Bucket), ("key", createdObject.Key), ("size", createdObject.Size));
            created.Add(createdObject);
        }
        return new Processed(created);
    }
}
