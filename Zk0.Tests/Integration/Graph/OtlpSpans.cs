using System.Text.Json;

namespace Zk0.Tests.Integration.Graph;

/// <summary>The spans of an OTLP JSON document (what the Aspire dashboard's telemetry API returns), with their service.</summary>
public static class OtlpSpans
{
    public sealed record Span(string Service, string TraceId, string Name);

    public static IReadOnlyList<Span> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var spans = new List<Span>();
        foreach (var resourceSpans in FindArrays(document.RootElement, "resourceSpans").SelectMany(a => a.EnumerateArray()))
        {
            var service = ServiceName(resourceSpans);
            foreach (var scope in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                    spans.Add(new Span(service, span.GetProperty("traceId").GetString()!, span.GetProperty("name").GetString()!));
        }
        return spans;
    }

    private static string ServiceName(JsonElement resourceSpans)
    {
        foreach (var attribute in resourceSpans.GetProperty("resource").GetProperty("attributes").EnumerateArray())
            if (attribute.GetProperty("key").GetString() == "service.name")
                return attribute.GetProperty("value").GetProperty("stringValue").GetString()!;
        return "";
    }

    private static IEnumerable<JsonElement> FindArrays(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == name && property.Value.ValueKind == JsonValueKind.Array) yield return property.Value;
                else foreach (var found in FindArrays(property.Value, name)) yield return found;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var found in FindArrays(item, name)) yield return found;
        }
    }
}
