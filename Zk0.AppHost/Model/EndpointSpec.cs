namespace Zk0.AppHost.Model;

/// <summary>
/// One endpoint of a resource. Endpoints are named after their scheme ("http") so that the
/// <c>services__{name}__{scheme}__0</c> keys of Aspire 13.1 and 13.2 coincide.
/// </summary>
/// <param name="Transport">"http", "http2" (gRPC over h2c) or "tcp".</param>
/// <param name="Port">A fixed port consumers see (like a launch profile's port); null = allocated.</param>
public sealed record EndpointSpec(string Name, string Scheme, string Transport, int? Port = null, bool External = false);
