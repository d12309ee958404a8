using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Zk0.Gateway;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Gateway;

/// <summary>
/// The gateway exactly as its Program.cs composes it (<see cref="GatewayComposition"/>), with its own appsettings.json and
/// the test's settings on top, in this process on loopback ports picked here.
/// </summary>
public static class InProcessGateway
{
    /// <param name="settings">Configuration for the picked gRPC and HTTP ports (Kestrel endpoints, service addresses, options).</param>
    /// <param name="configure">Anything else before it is built (e.g. a logger that keeps lines for assertions).</param>
    public static async Task<(WebApplication App, int GrpcPort, int HttpPort)> StartAsync(
        Func<int, int, IReadOnlyDictionary<string, string?>> settings, Action<WebApplicationBuilder>? configure = null)
    {
        // Another process may take a picked port before the gateway binds it: pick again then.
        for (var attempt = 1; ; attempt++)
        {
            var (grpcPort, httpPort) = (FreePort.Next(), FreePort.Next());
            var app = Build(settings(grpcPort, httpPort), configure);
            try
            {
                await app.StartAsync();
                return (app, grpcPort, httpPort);
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException && attempt < 5)
            {
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>Plain endpoints on the picked ports, as the gateway's appsettings.json has them (grpc: h2c, http: HTTP/1.1).</summary>
    public static Dictionary<string, string?> PlainEndpoints(int grpcPort, int httpPort) => new()
    {
        ["Kestrel:Endpoints:grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
        ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{httpPort}",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public static WebApplication Build(IReadOnlyDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ApplicationName = "Zk0.Gateway",
            ContentRootPath = Path.GetDirectoryName(new Projects.Zk0_Gateway().ProjectPath),
        });
        builder.Configuration.AddInMemoryCollection(settings);
        configure?.Invoke(builder);
        builder.AddGateway();
        var app = builder.Build();
        app.MapGateway();
        return app;
    }
}
