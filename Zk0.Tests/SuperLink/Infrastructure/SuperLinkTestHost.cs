using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using FleetApi = Zk0.Federation.Protocol.Fleet;
using ControlApi = Zk0.Federation.Protocol.Control;
using Zk0.SuperLink.Hosting;

namespace Zk0.Tests.SuperLink.Infrastructure;

/// <summary>
/// The SuperLink built as Program.cs builds it (service defaults + SuperLink services), listening for h2c gRPC on a
/// random loopback port, with state in the given Redis and blobs in the given directory.
/// </summary>
public sealed class SuperLinkTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private SuperLinkTestHost(WebApplication app, string address)
    {
        _app = app;
        Address = address;
        _channel = GrpcChannel.ForAddress(address);
        Fleet = new FleetApi.FleetClient(_channel);
        Control = new ControlApi.ControlClient(_channel);
    }

    public string Address { get; }
    public FleetApi.FleetClient Fleet { get; }
    public ControlApi.ControlClient Control { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<SuperLinkTestHost> StartAsync(string redisConnectionString, string blobDirectory, string keyPrefix,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", ApplicationName = "Zk0.SuperLink" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redisConnectionString,
            ["SuperLink:KeyPrefix"] = keyPrefix,
            ["SuperLink:Blobs:Directory"] = blobDirectory,
            ["SuperLink:PollInterval"] = "00:00:00.200",
            ["SuperLink:LeadershipLease"] = "00:00:03",
            ["SuperLink:HeartbeatInterval"] = "00:00:01",
            ["SuperLink:NodeLease"] = "00:00:10",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.AddServiceDefaults();
        builder.AddSuperLinkServices();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapSuperLinkApis();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new SuperLinkTestHost(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
