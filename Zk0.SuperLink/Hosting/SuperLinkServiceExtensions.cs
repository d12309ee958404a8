using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StackExchange.Redis;
using Zk0.SuperLink.Blobs;
using Zk0.SuperLink.Control;
using Zk0.SuperLink.Fleet;
using Zk0.SuperLink.Rounds;
using Zk0.SuperLink.State;
using Zk0.SuperLink.Telemetry;

namespace Zk0.SuperLink.Hosting;

public static class SuperLinkServiceExtensions
{
    /// <summary>State in Redis (<c>ConnectionStrings:redis</c>), blobs on disk, the round loop and the gRPC services.</summary>
    public static IHostApplicationBuilder AddSuperLinkServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("redis");
        builder.Services.Configure<SuperLinkOptions>(builder.Configuration.GetSection(SuperLinkOptions.Section));
        builder.Services.Configure<BlobStoreOptions>(builder.Configuration.GetSection($"{SuperLinkOptions.Section}:Blobs"));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ILinkState>(sp => new RedisLinkState(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<SuperLinkOptions>>().Value.KeyPrefix));
        builder.Services.AddSingleton(sp => new NodeKeyRegistry(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<SuperLinkOptions>>().Value.KeyPrefix));
        builder.Services.AddSingleton<CallerIdentity>();
        builder.Services.AddSingleton<NodeKeyAdministration>();
        builder.Services.AddHostedService<NodeKeysFromDirectory>();
        builder.Services.Configure<BlobCollectionOptions>(builder.Configuration.GetSection(BlobCollectionOptions.Section));
        builder.Services.AddSingleton<FileBlobStore>();
        builder.Services.AddSingleton<BlobCollector>();
        builder.Services.AddHostedService<BlobCollectionService>();
        builder.Services.AddSingleton<RunNormalization>();
        builder.Services.AddSingleton<RunDriver>();
        builder.Services.AddSingleton<TaskWaiters>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TaskWaiters>());
        builder.Services.AddHostedService<RoundLoopService>();
        builder.Services.AddHostedService<NodesOnlineRefresher>();
        builder.Services.AddHostedService<StaleNodeSweeper>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = 8 << 20;
            grpc.Interceptors.Add<StateStoreOutageInterceptor>();
        });
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(SuperLinkTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(SuperLinkTelemetry.Name));
        return builder;
    }

    public static IEndpointRouteBuilder MapSuperLinkApis(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<FleetService>();
        app.MapGrpcService<ControlService>();
        return app;
    }
}
