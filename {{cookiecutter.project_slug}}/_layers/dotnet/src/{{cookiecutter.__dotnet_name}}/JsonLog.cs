{%- set project = cookiecutter.__dotnet_name -%}
using System.Text.Json;
using Amazon.Lambda.Core;

namespace {{ project }};

/// <summary>The function's log lines: one JSON object each, which CloudWatch Logs Insights can query.</summary>
public static class JsonLog
{
    /// <summary>Writes <c>{"level", "message", "request_id", then the fields}</c> as one line.</summary>
    public static void Write(ILambdaContext context, string level, string message, params (string Name, object? Value)[] fields)
    {
        var entry = new Dictionary<string, object?>
        {
            ["level"] = level,
            ["message"] = message,
            ["request_id"] = context.AwsRequestId,
        };
        foreach (var (name, value) in fields)
        {
            entry[name] = value;
        }
        context.Logger.LogLine(JsonSerializer.Serialize(entry));
    }
}
