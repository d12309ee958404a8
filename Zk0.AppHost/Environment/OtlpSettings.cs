namespace Zk0.AppHost.Environment;

/// <summary>
/// Where processes export telemetry. Aspire always points them at its dashboard; the local runner
/// sets the OTLP variables only when a collector is known to listen (ServiceDefaults turns the
/// exporter on purely on their presence).
/// </summary>
public sealed record OtlpSettings(string? Endpoint, string Protocol = "grpc", string? Headers = null)
{
    public static OtlpSettings None { get; } = new((string?)null);

    /// <summary>Reads the dashboard variables Aspire reads, then a plain OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public static OtlpSettings FromEnvironment(Func<string, string?> get)
    {
        if (get("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL") is { Length: > 0 } grpc) return new(grpc, "grpc");
        if (get("ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL") is { Length: > 0 } http) return new(http, "http/protobuf");
        if (get("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } endpoint)
            return new(endpoint, get("OTEL_EXPORTER_OTLP_PROTOCOL") is { Length: > 0 } p ? p : "grpc", get("OTEL_EXPORTER_OTLP_HEADERS"));
        return None;
    }
}
