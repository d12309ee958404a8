using System.Net;
using StackExchange.Redis;
using Xunit.Abstractions;
using Zk0.AppHost.Hosting;
using Zk0.AppHost.Logs;
using Zk0.AppHost.Model;
using Zk0.AppHost.Redis;

namespace Zk0.Tests.AppHost.Hosting;

/// <summary>The harness starts real processes: Redis (Garnet or redis-server) and the Gateway project in replicas.</summary>
public sealed class DistributedApplicationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static AppModel GatewayGraph(int replicas)
    {
        var builder = new AppModelBuilder();
        var redis = builder.AddRedis("redis");
        builder.AddProject("gateway", "Zk0.Gateway")
            .WithHttpEndpoint(port: 5180, transport: "http2")
            .WithHttpHealthCheck("/health")
            .WithReplicas(replicas)
            .WithReference(redis)
            .WaitFor(redis)
            .WithEnvironment("services__superlink__http__0", "http://localhost:9")
            .WithEnvironment("services__evaluator__http__0", "http://localhost:9");
        return builder.Build();
    }

    private DistributedApplicationOptions Options(TestOutputLoggerFactory logs, RedisHosting? redis = null) => new()
    {
        Redis = redis ?? RedisHosting.Embedded,
        RandomizePorts = true,
        Logs = new LoggerLogSink(logs),
        StopTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task ReplicasBehindOneEndpointBecomeHealthyAndAnswerThroughTheHarnessClient()
    {
        var logs = new TestOutputLoggerFactory(output);
        using var cts = new CancellationTokenSource(Timeout);
        await using (var app = await DistributedApplication.StartAsync(GatewayGraph(replicas: 2), Options(logs), cts.Token))
        {
            await app.WaitForResourceHealthyAsync("gateway", cts.Token);

            using var http = app.CreateHttpClient("gateway");
            Assert.NotEqual(5180, http.BaseAddress!.Port);
            for (var i = 0; i < 4; i++)
            {
                using var response = await http.GetAsync("/health", cts.Token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(new Version(2, 0), response.Version);
            }
            Assert.Equal(2, app.Plan.InstancesOf(app.Model["gateway"]).Distinct().Count());
            Assert.Contains(logs.Entries, e => e.Category == "Zk0.AppHost.Resources.gateway" && e.Message.Contains("Application started"));
            Assert.All(app.Plan.TargetPortsOf(app.Model["gateway"], "http"), port => Assert.True(IsListening(port)));
            var ports = app.Plan.TargetPortsOf(app.Model["gateway"], "http");
            await app.DisposeAsync();
            Assert.All(ports, port => Assert.False(IsListening(port), $"port {port} still open after shutdown"));
            Assert.Equal(KnownResourceStates.Finished, app.ResourceNotifications.Latest("gateway")!.State);
        }
    }

    [Theory]
    [InlineData("embedded")]
    [InlineData("server")]
    public async Task TheRedisConnectionStringFromTheHarnessReachesARealServer(string mode)
    {
        var logs = new TestOutputLoggerFactory(output);
        using var cts = new CancellationTokenSource(Timeout);
        var builder = new AppModelBuilder();
        builder.AddRedis("redis");
        await using var app = await DistributedApplication.StartAsync(builder.Build(), Options(logs, RedisHosting.Parse(mode)), cts.Token);

        await app.WaitForResourceHealthyAsync("redis", cts.Token);
        var connectionString = await app.GetConnectionStringAsync("redis", cts.Token);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString!);
        await redis.GetDatabase().StringSetAsync("harness", mode);

        Assert.Equal(mode, (string?)await redis.GetDatabase().StringGetAsync("harness"));
        Assert.Matches("^localhost:[0-9]+,password=[A-Za-z0-9]{22}$", connectionString);
    }

    [Fact]
    public async Task AResourceThatCannotStartFailsItsWaitersInsteadOfHangingThem()
    {
        var logs = new TestOutputLoggerFactory(output);
        using var cts = new CancellationTokenSource(Timeout);
        var builder = new AppModelBuilder();
        var redis = builder.AddRedis("redis");
        // Without service discovery settings the gateway cannot resolve its clusters and exits.
        builder.AddProject("gateway", "Zk0.Gateway").WithHttpEndpoint(transport: "http2").WithHttpHealthCheck("/health")
            .WithReference(redis).WaitFor(redis)
            .WithEnvironment("ReverseProxy__Clusters__superlink__Destinations__superlink__Address", "not a uri");
        await using var app = await DistributedApplication.StartAsync(builder.Build(), Options(logs), cts.Token);

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.WaitForResourceHealthyAsync("gateway", cts.Token));

        Assert.Contains("gateway", error.Message);
        Assert.Contains(app.ResourceNotifications.Latest("gateway")!.State, new[] { KnownResourceStates.FailedToStart, KnownResourceStates.Exited });
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
