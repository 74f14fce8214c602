{%- set project = cookiecutter.__dotnet_name -%}
using System.Diagnostics;
using System.Text.Json;
using Amazon.Lambda.Core;
{%- if cookiecutter.base_image == "custom" %}
using Amazon.Lambda.RuntimeSupport;
{%- endif %}
using Amazon.Lambda.Serialization.SystemTextJson;

// The event and the response cross the Runtime API as JSON, (de)serialised with System.Text.Json.
[assembly: LambdaSerializer(typeof(DefaultLambdaJsonSerializer))]

namespace {{ project }};

/// <summary>Invoked directly (aws lambda invoke, an SDK, another service): greets the caller named in the event.</summary>
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
        var greeting = Greeter.Greet(Greeter.ReadName(input));
        var tookMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
        JsonLog.Write(context, "INFO", "greeted", ("duration_ms", tookMs));
        return greeting;
    }
}
