{%- set project = cookiecutter.__dotnet_name -%}
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.TestUtilities;
using Xunit;

namespace {{ project }}.Tests;

/// <summary>Every sample event, both payload formats, through the HTTP handler.</summary>
public class SampleEventTest : SampleEventTests<JsonElement, APIGatewayProxyResponse>
{
    protected override APIGatewayProxyResponse Handle(JsonElement input, ILambdaContext context) =>
        new Function().FunctionHandler(input, context);
}

/// <summary>What the sample events cannot show.</summary>
public class FunctionTest
{
    private static readonly JsonElement GetHelloAda = JsonDocument.Parse("""
        {"version": "2.0", "rawPath": "/hello", "queryStringParameters": {"name": "Ada"},
         "requestContext": {"http": {"method": "GET", "path": "/hello"}}, "isBase64Encoded": false}
        """).RootElement;

    private static List<JsonElement> LogLines(TestLambdaLogger logger) =>
        logger.Buffer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();

    [Fact]
    public void AnUnexpectedErrorIsLoggedWithItsStackAndAnswered500WithoutDetails()
    {
        var logger = new TestLambdaLogger();
        var context = new TestLambdaContext { AwsRequestId = "test-request", Logger = logger };
        var failing = new Function(_ => throw new InvalidOperationException("the greeting service is down"));

        var response = failing.FunctionHandler(GetHelloAda, context);

        Assert.Equal(500, response.StatusCode);
        Assert.Equal("application/json", response.Headers["content-type"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"error": "internal error"}"""), JsonNode.Parse(response.Body)),
            $"the body tells the client more than it should: {response.Body}");
        var lines = LogLines(logger);
        Assert.Equal(2, lines.Count);
        Assert.Equal("ERROR", lines[0].GetProperty("level").GetString());
        Assert.Equal("the greeting service is down", lines[0].GetProperty("error").GetString());
        Assert.Contains(nameof(FunctionTest), lines[0].GetProperty("stack").GetString());
        Assert.Equal("answered", lines[1].GetProperty("message").GetString());
        Assert.Equal(500, lines[1].GetProperty("status").GetInt32());
    }

    [Fact]
    public void LogsOneJsonLinePerRequest()
    {
        var logger = new TestLambdaLogger();
        var context = new TestLambdaContext { AwsRequestId = "test-request", Logger = logger };

        new Function().FunctionHandler(GetHelloAda, context);

        var entry = Assert.Single(LogLines(logger));
        Assert.Equal("INFO", entry.GetProperty("level").GetString());
        Assert.Equal("answered", entry.GetProperty("message").GetString());
        Assert.Equal("test-request", entry.GetProperty("request_id").GetString());
        Assert.Equal("GET", entry.GetProperty("method").GetString());
        Assert.Equal("/hello", entry.GetProperty("path").GetString());
        Assert.Equal(200, entry.GetProperty("status").GetInt32());
        Assert.True(entry.GetProperty("duration_ms").GetDouble() >= 0);
    }

    [Fact]
    public void AnEmptyPostBodyStandsForAnEmptyObject()
    {
        var post = JsonDocument.Parse("""
            {"version": "2.0", "rawPath": "/hello", "requestContext": {"http": {"method": "POST"}}, "isBase64Encoded": false}
            """).RootElement;

        var response = new Function().FunctionHandler(post, new TestLambdaContext());

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("Hello, world!", JsonNode.Parse(response.Body)?["message"]?.GetValue<string>());
    }
}
