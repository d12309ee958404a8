using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;

namespace Zk0.Tests.Federation.Security;

/// <summary>
/// A real Kestrel serving the Fleet API's Heartbeat (lease 42) on loopback: over TLS with <c>certificate</c>, plain
/// h2c without. Heartbeats of node "slow" wait for <see cref="Release"/>, standing for a call in progress.
/// </summary>
public sealed class HeartbeatServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HeartbeatFleet _fleet;

    private HeartbeatServer(WebApplication app, HeartbeatFleet fleet) => (_app, _fleet) = (app, fleet);

    public static async Task<HeartbeatServer> StartAsync(X509Certificate2? certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var fleet = new HeartbeatFleet();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(fleet);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is null)
            {
                listen.Protocols = HttpProtocols.Http2;
                return;
            }
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
        }));
        var server = new HeartbeatServer(builder.Build(), fleet);
        server._app.MapGrpcService<HeartbeatFleet>();
        await server._app.StartAsync();
        return server;
    }

    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    public int Port => Address.Port;

    public Task SlowCallStarted => _fleet.SlowStarted.Task;

    public void Release() => _fleet.Gate.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.DisposeAsync();
    }

    public sealed class HeartbeatFleet : Fleet.FleetBase
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context)
        {
            if (request.NodeId == "slow")
            {
                SlowStarted.TrySetResult();
                await Gate.Task.WaitAsync(context.CancellationToken);
            }
            return new HeartbeatReply { LeaseExpiresUnixMs = 42 };
        }
    }
}
