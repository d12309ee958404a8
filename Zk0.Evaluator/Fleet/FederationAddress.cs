namespace Zk0.Evaluator.Fleet;

/// <summary>The gateway when service discovery knows one, else the SuperLink directly; or an explicit address.</summary>
public static class FederationAddress
{
    public static Uri Resolve(IConfiguration configuration, string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!Uri.TryCreate(configured, UriKind.Absolute, out var uri))
                throw new InvalidOperationException($"Evaluator:FederationAddress '{configured}' is not an absolute URI such as http://localhost:5000.");
            return uri;
        }
        return configuration.GetSection("services:gateway:grpc").Exists() ? new Uri("http://_grpc.gateway") : new Uri("http://_grpc.superlink");
    }
}
