using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Zk0.AppHost.Graph;

namespace Zk0.AppHost.Redis;

/// <summary>
/// The federation's state store, named <c>redis</c> in every mode so services always get
/// <c>ConnectionStrings__redis</c>. Publishing declares Aspire's Redis container; running locally
/// needs no container runtime: Garnet in a project of its own, a <c>redis-server</c> child process,
/// or a Redis that already runs. A local server keeps an append-only file in the local state folder (fsync every
/// second) unless <c>--no-redis-persistence</c>, so the AppHost restarting it loses at most the last second of writes;
/// the published Redis asks for the same (AOF, <c>appendfsync everysec</c>, a data volume).
/// </summary>
public static class FederationRedis
{
    public const string Name = "redis";

    public static IResourceBuilder<IResourceWithConnectionString> AddFederationRedis(
        this IDistributedApplicationBuilder builder, RedisMode mode, bool persistence, LocalStateDirectory state)
    {
        if (builder.ExecutionContext.IsPublishMode) return builder.AddPublishedRedis();

        return mode switch
        {
            RedisMode.EmbeddedGarnet => builder.AddEmbeddedGarnet(persistence, state),
            RedisMode.LocalRedisServer server => builder.AddLocalRedisServer(server.Executable, persistence, state),
            RedisMode.Existing existing => builder.AddExistingRedis(existing.ConnectionString),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }

    /// <summary>
    /// Redis's container, asked to keep an append-only file (fsync every second) on a data volume. Aspire runs it as
    /// <c>/bin/sh -c "redis-server ..."</c>: the flags go into that command line, where arguments added after it would be ignored.
    /// </summary>
    private static IResourceBuilder<IResourceWithConnectionString> AddPublishedRedis(this IDistributedApplicationBuilder builder) =>
        builder.AddRedis(Name).WithDataVolume().WithArgs(context =>
        {
            var index = context.Args.ToList().FindIndex(arg => arg is string command && command.StartsWith("redis-server", StringComparison.Ordinal));
            if (index < 0) throw new InvalidOperationException("Aspire's Redis container no longer starts with a 'redis-server ...' command line; ask for AOF another way.");
            context.Args[index] = $"{context.Args[index]} {string.Join(' ', AppendOnlyArgs)}";
        });

    private static readonly string[] AppendOnlyArgs = ["--appendonly", "yes", "--appendfsync", "everysec"];

    private static IResourceBuilder<IResourceWithConnectionString> AddEmbeddedGarnet(this IDistributedApplicationBuilder builder, bool persistence, LocalStateDirectory state)
    {
        var password = builder.AddGeneratedPassword();
        var garnet = builder.AddProject<Projects.Zk0_Garnet>("garnet")
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "Garnet__Port")
            .WithEnvironment("Garnet__Password", ReferenceExpression.Create($"{password}"))
            .WithEnvironment("Garnet__DataDirectory", state.PathFor("garnet"))
            .WithEnvironment("Garnet__Persistence", persistence ? "true" : "false")
            .ExcludeFromManifest();
        var endpoint = garnet.GetEndpoint("tcp");
        var redis = builder.AddConnectionString(Name, ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)},password={password}"));
        garnet.WithParentRelationship(redis);
        return redis.WithPing(builder, "Garnet runs in the 'garnet' resource; its console log in the dashboard says why it is not answering.");
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddLocalRedisServer(
        this IDistributedApplicationBuilder builder, string executable, bool persistence, LocalStateDirectory state)
    {
        var directory = state.PathFor("redis-server");
        var password = builder.AddGeneratedPassword();
        var server = builder.AddExecutable("redis-server", executable, directory)
            .WithEndpoint(name: "tcp", scheme: "tcp")
            .ExcludeFromManifest();
        var endpoint = server.GetEndpoint("tcp");
        server.WithArgs(context =>
        {
            context.Args.Add("--bind");
            context.Args.Add("127.0.0.1");
            context.Args.Add("--port");
            context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
            context.Args.Add("--requirepass");
            context.Args.Add(password);
            context.Args.Add("--dir");
            context.Args.Add(directory);
            context.Args.Add("--save"); // no RDB snapshots: the append-only file is the persistence
            context.Args.Add("");
            if (!persistence) return;
            foreach (var arg in AppendOnlyArgs) context.Args.Add(arg);
        });
        var redis = builder.AddConnectionString(Name, ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)},password={password}"));
        server.WithParentRelationship(redis);
        return redis.WithPing(builder, "redis-server runs in the 'redis-server' resource; its console log in the dashboard says why it is not answering.");
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddExistingRedis(this IDistributedApplicationBuilder builder, string connectionString)
    {
        var secret = builder.AddParameter($"{Name}-connection-string", connectionString, secret: true);
        var redis = builder.AddConnectionString(Name, ReferenceExpression.Create($"{secret}"));
        return redis.WithPing(builder, "Start that server, correct --redis \"host:port,password=...\", or use --redis embedded.");
    }

    /// <summary>A random password for a local server, as a parameter resource: the connection string waits for what it names.</summary>
    private static ParameterResource AddGeneratedPassword(this IDistributedApplicationBuilder builder) =>
        builder.AddResource(ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{Name}-password", special: false)).Resource;

    /// <summary>The resource is healthy once its server answers PING; until then its health report names the server and the remedy.</summary>
    private static IResourceBuilder<IResourceWithConnectionString> WithPing(
        this IResourceBuilder<ConnectionStringResource> redis, IDistributedApplicationBuilder builder, string remedy)
    {
        string? resolved = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(redis.Resource, async (_, cancellationToken) =>
            resolved = await redis.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken));
        var key = $"{Name}_ping";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(key, _ => new RedisPingHealthCheck(() => resolved, remedy), failureStatus: null, tags: null));
        return redis.WithHealthCheck(key);
    }
}
