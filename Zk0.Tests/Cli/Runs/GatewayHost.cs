using Microsoft.AspNetCore.Builder;
using Zk0.Tests.Gateway;

namespace Zk0.Tests.Cli.Runs;

/// <summary>The Gateway as its Program.cs builds it, with its own appsettings.json routes, in front of the given SuperLink and Evaluator.</summary>
public static class GatewayHost
{
    /// <returns>The gateway and its gRPC port's address (plain h2c, as port 5180 is).</returns>
    public static async Task<(WebApplication Gateway, Uri GrpcAddress)> StartAsync(Uri superlink, Uri evaluator)
    {
        var (gateway, grpcPort, _) = await InProcessGateway.StartAsync((grpc, http) => new Dictionary<string, string?>(InProcessGateway.PlainEndpoints(grpc, http))
        {
            ["services:superlink:grpc:0"] = superlink.ToString(),
            ["services:evaluator:http:0"] = evaluator.ToString(),
        });
        return (gateway, new Uri($"http://127.0.0.1:{grpcPort}"));
    }
}
