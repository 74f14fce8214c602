{%- set project = cookiecutter.__dotnet_name -%}
using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Serialization.SystemTextJson;

namespace {{ project }};

/// <summary>
/// What the function reads of an HTTP request, in either payload format: 2.0 (HTTP APIs, function URLs)
/// or 1.0 (REST APIs' proxy integration).
/// </summary>
public sealed record HttpRequest(string Method, string Path, IDictionary<string, string>? Query, string? Body, bool IsBase64Encoded)
{
    private static readonly DefaultLambdaJsonSerializer Serializer = new();

    /// <summary>
    /// Reads the payload as the Amazon.Lambda.APIGatewayEvents type of its format, with the serializer Lambda
    /// uses: 2.0 says so in "version"; REST APIs send none (and an HTTP API set to format 1.0 sends "1.0").
    /// </summary>
    public static HttpRequest Read(JsonElement payload)
    {
        if (payload.ValueKind == JsonValueKind.Object
            && payload.TryGetProperty("version", out var version)
            && version.ValueKind == JsonValueKind.String
            && version.GetString() == "2.0")
        {
            var v2 = As<APIGatewayHttpApiV2ProxyRequest>(payload);
            return new(v2.RequestContext?.Http?.Method ?? "", v2.RawPath ?? "", v2.QueryStringParameters, v2.Body,
                v2.IsBase64Encoded);
        }
        var v1 = As<APIGatewayProxyRequest>(payload);
        return new(v1.HttpMethod ?? "", v1.Path ?? "", v1.QueryStringParameters, v1.Body, v1.IsBase64Encoded);
    }

    /// <summary>The body as the client sent it: API Gateway and function URLs base64-encode a body they do not pass as text.</summary>
    public byte[] BodyBytes() =>
        IsBase64Encoded ? Convert.FromBase64String(Body ?? "") : Encoding.UTF8.GetBytes(Body ?? "");

    private static T As<T>(JsonElement payload)
    {
        using var stream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(payload));
        return Serializer.Deserialize<T>(stream);
    }
}
