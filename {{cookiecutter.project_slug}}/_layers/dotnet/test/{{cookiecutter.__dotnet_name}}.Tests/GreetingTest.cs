{%- set project = cookiecutter.__dotnet_name -%}
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace {{ project }}.Tests;

/// <summary>The business logic and the comparison rule the sample event tests rely on.</summary>
public class GreetingTest
{
    [Theory]
    [InlineData(null, "Hello, world!")]
    [InlineData("", "Hello, world!")]
    [InlineData("Ada", "Hello, Ada!")]
    [InlineData("Zoë 🚀", "Hello, Zoë 🚀!")]
    public void GreetsTheCallerOrTheWorld(string? name, string message)
    {
        Assert.Equal(new Greeting(message), Greeter.Greet(name));
    }

    [Theory]
    [InlineData("""{"name": ["Ada"]}""")]
    [InlineData("""{"name": 42}""")]
    [InlineData("""{"name": true}""")]
    public void RejectsANameThatIsNotAString(string input)
    {
        var error = Assert.Throws<NameNotStringException>(() => Greeter.ReadName(JsonDocument.Parse(input).RootElement));
        Assert.Equal("name must be a string", error.Message);
    }

    [Fact]
    public void ReadsAProxyResponseAsApiGatewayDoes()
    {
        var typed = JsonNode.Parse("""
            {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "multiValueHeaders": null,
             "body": "{\"message\":\"Hello, Ada!\"}", "isBase64Encoded": false}
            """);
        var written = JsonNode.Parse("""
            {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": "{\"message\": \"Hello, Ada!\"}"}
            """);
        var other = JsonNode.Parse("""
            {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": "{\"message\": \"Hello, Bob!\"}"}
            """);
        Assert.True(JsonNode.DeepEquals(SampleEvents.AsHttpAnswer(typed), SampleEvents.AsHttpAnswer(written)));
        Assert.False(JsonNode.DeepEquals(SampleEvents.AsHttpAnswer(other), SampleEvents.AsHttpAnswer(written)));
    }
}
