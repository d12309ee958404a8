using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Zk0.Gateway.Authentication;
using Zk0.Gateway.Routing;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Gateway.Authentication;

/// <summary>The Gateway as its Program.cs builds it, with its own appsettings.json and <paramref name="settings"/> on top, on free loopback ports.</summary>
public static class AuthGateway
{
    public static async Task<(WebApplication Gateway, string GrpcAddress)> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        // The gateway's endpoints come from its own configuration; another process may take a picked port first.
        for (var attempt = 1; ; attempt++)
        {
            var (grpcPort, httpPort) = (FreePort.Next(), FreePort.Next());
            var gateway = Build(grpcPort, httpPort, settings);
            try
            {
                await gateway.StartAsync();
                return (gateway, $"http://127.0.0.1:{grpcPort}");
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException && attempt < 5)
            {
                await gateway.DisposeAsync();
            }
        }
    }

    private static WebApplication Build(int grpcPort, int httpPort, IReadOnlyDictionary<string, string?> settings)
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
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddGatewayAuth();
        builder.AddFederationRoutes();
        var gateway = builder.Build();
        gateway.MapDefaultEndpoints();
        gateway.UseGatewayAuth();
        gateway.MapReverseProxy();
        return gateway;
    }
}
