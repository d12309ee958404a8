namespace Zk0.SuperNode.Fleet;

/// <summary>
/// Nodes talk to the gateway, the federation's one public endpoint; without a gateway (a bare
/// SuperLink in tests or small setups) they talk to the SuperLink directly. Names resolve through
/// service discovery, by their gRPC endpoint (<c>services:{name}:grpc:0</c>).
/// </summary>
public static class FleetAddress
{
    public static Uri Resolve(IConfiguration configuration, string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!Uri.TryCreate(configured, UriKind.Absolute, out var uri))
                throw new InvalidOperationException($"SuperNode:FleetAddress '{configured}' is not an absolute URI such as http://localhost:5000.");
            return uri;
        }
        return configuration.GetSection("services:gateway:grpc").Exists() ? new Uri("http://_grpc.gateway") : new Uri("http://_grpc.superlink");
    }
}
