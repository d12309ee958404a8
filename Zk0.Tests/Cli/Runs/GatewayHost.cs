using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Zk0.Gateway.Routing;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Cli.Runs;

/// <summary>The Gateway as its Program.cs builds it, with its own appsettings.json routes, in front of the given SuperLink and Evaluator.</summary>
public static class GatewayHost
{
    /// <returns>The gateway and its gRPC port's address (plain h2c, as port 5180 is).</returns>
    public static async Task<(WebApplication Gateway, Uri GrpcAddress)> StartAsync(Uri superlink, Uri evaluator)
    {
        // The gateway's endpoints come from its configuration, so its ports are picked here; another process may take a
        // picked port first, so pick again then.
        for (var attempt = 1; ; attempt++)
        {
            var (grpc, http) = (FreePort.Next(), FreePort.Next());
            var gateway = Build(superlink, evaluator, grpc, http);
            try
            {
                await gateway.StartAsync();
                return (gateway, new Uri($"http://127.0.0.1:{grpc}"));
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException && attempt < 5)
            {
                await gateway.DisposeAsync();
            }
        }
    }

    private static WebApplication Build(Uri superlink, Uri evaluator, int grpcPort, int httpPort)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ApplicationName = "Zk0.Gateway",
            ContentRootPath = Path.GetDirectoryName(new Projects.Zk0_Gateway().ProjectPath),
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{httpPort}",
            ["services:superlink:grpc:0"] = superlink.ToString(),
            ["services:evaluator:http:0"] = evaluator.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDefaults();
        builder.AddFederationRoutes();
        var gateway = builder.Build();
        gateway.MapDefaultEndpoints();
        gateway.MapReverseProxy();
        return gateway;
    }
}
