using Microsoft.AspNetCore.Builder;

namespace Zk0.Tests.Gateway.Authentication;

/// <summary>The Gateway as its Program.cs builds it, with <paramref name="settings"/> on top, on free loopback ports.</summary>
public static class AuthGateway
{
    public static async Task<(WebApplication Gateway, string GrpcAddress)> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var (gateway, grpcPort, _) = await InProcessGateway.StartAsync((grpc, http) =>
        {
            var all = InProcessGateway.PlainEndpoints(grpc, http);
            foreach (var (key, value) in settings) all[key] = value;
            return all;
        });
        return (gateway, $"http://127.0.0.1:{grpcPort}");
    }
}
