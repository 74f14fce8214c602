{%- set project = cookiecutter.__dotnet_name -%}
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
{%- if cookiecutter.base_image == "custom" %}
using Amazon.Lambda.RuntimeSupport;
{%- endif %}
using Amazon.Lambda.Serialization.SystemTextJson;

// The event and the response cross the Runtime API as JSON, (de)serialised with System.Text.Json.
[assembly: LambdaSerializer(typeof(DefaultLambdaJsonSerializer))]

namespace {{ project }};

/// <summary>The JSON body of every answer but 200: <c>{"error": "..."}</c>.</summary>
public sealed record ErrorBody([property: JsonPropertyName("error")] string Error);

/// <summary>
/// Behind an API Gateway HTTP API or a Lambda function URL (payload format 2.0), or a REST API's proxy
/// integration (1.0): answers GET /hello?name=Ada and POST /hello with {"name": "Ada"}.
/// </summary>
public class Function
{
    private readonly Func<string?, Greeting> greet;

    /// <summary>The function as Lambda creates it.</summary>
    public Function() : this(Greeter.Greet)
    {
    }

    /// <summary>The function with other business logic (a test passes one that fails).</summary>
    public Function(Func<string?, Greeting> greet)
    {
        this.greet = greet;
    }
{%- if cookiecutter.base_image == "custom" %}

    /// <summary>
    /// Entry point of the custom-base image, which has no Lambda runtime of its own:
    /// Amazon.Lambda.RuntimeSupport fetches each event from the Runtime API and calls the handler.
    /// </summary>
    public static async Task Main()
    {
        var function = new Function();
        await LambdaBootstrapBuilder
            .Create<JsonElement, APIGatewayProxyResponse>(function.FunctionHandler, new DefaultLambdaJsonSerializer())
            .Build()
            .RunAsync();
    }
{%- endif %}

    /// <summary>
    /// The handler: <c>{{ project }}::{{ project }}.Function::FunctionHandler</c>. It takes the payload as JSON
    /// because it reads both formats, and answers every request, since a REST API answers 502 for an error:
    /// an unexpected one is logged with its stack trace and answered 500, without details.
    /// </summary>
    public APIGatewayProxyResponse FunctionHandler(JsonElement input, ILambdaContext context)
    {
        var started = Stopwatch.GetTimestamp();
        HttpRequest? request = null;
        APIGatewayProxyResponse response;
        try
        {
            request = HttpRequest.Read(input);
            response = Route(request);
        }
        catch (Exception error)
        {
            JsonLog.Write(context, "ERROR", "unexpected error", ("error", error.Message), ("stack", error.ToString()));
            response = Answer(500, new ErrorBody("internal error"));
        }
        var tookMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
        JsonLog.Write(context, "INFO", "answered", ("method", request?.Method), ("path", request?.Path),
            ("status", response.StatusCode), ("duration_ms", tookMs));
        return response;
    }

    private APIGatewayProxyResponse Route(HttpRequest request)
    {
        if (request.Path != "/hello")
        {
            return Answer(404, new ErrorBody("not found"));
        }
        if (request.Method is not ("GET" or "POST"))
        {
            var notAllowed = Answer(405, new ErrorBody("method not allowed"));
            notAllowed.Headers["allow"] = "GET, POST";
            return notAllowed;
        }
        try
        {
            var name = request.Method == "GET" ? NameInQuery(request.Query) : NameInBody(request.BodyBytes());
            return Answer(200, greet(name));
        }
        catch (BadRequestException error)
        {
            return Answer(400, new ErrorBody(error.Message));
        }
        catch (NameNotStringException error)
        {
            return Answer(400, new ErrorBody(error.Message));
        }
    }

    /// <summary>The name the query string gives, if any (API Gateway sends no parameters as null).</summary>
    private static string? NameInQuery(IDictionary<string, string>? query) =>
        query is not null && query.TryGetValue("name", out var name) ? name : null;

    /// <summary>The name a JSON object body gives; an empty body stands for <c>{}</c>.</summary>
    private static string? NameInBody(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }
        JsonElement document;
        try
        {
            using var parsed = JsonDocument.Parse(body);
            document = parsed.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new BadRequestException("the request body is not valid JSON");
        }
        if (document.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequestException("the request body must be a JSON object");
        }
        return Greeter.ReadName(document);
    }

    /// <summary>A proxy response with a JSON body, as both payload formats expect it.</summary>
    private static APIGatewayProxyResponse Answer<T>(int status, T body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, string> { ["content-type"] = "application/json" },
        Body = JsonSerializer.Serialize(body),
    };

    /// <summary>The client's mistake, answered 400 with this message.</summary>
    private sealed class BadRequestException : Exception
    {
        public BadRequestException(string message) : base(message)
        {
        }
    }
}
