using Aspire.Hosting.Testing;
using StackExchange.Redis;
using Zk0.Tests.Integration.Graph;

namespace Zk0.Tests.Integration;

/// <summary><c>--redis server</c>: the graph's state lives in a redis-server child process instead of Garnet.</summary>
public sealed class RedisServerModeTests
{
    [Fact]
    public async Task WithRedisServerTheSuperLinkBecomesHealthyOnARealRedisServer()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var graph = await TestGraph.BuildAsync("redis-server", ["--nodes", "1", "--no-run", "--redis", "server"], cancellationToken: cts.Token);
        await graph.App.StartAsync(cts.Token);

        await graph.Notifications.WaitForResourceHealthyAsync("supernode-0", cts.Token);

        Assert.DoesNotContain("garnet", graph.ResourceNames<Aspire.Hosting.ApplicationModel.ProjectResource>());
        Assert.Contains("redis-server", graph.ResourceNames<Aspire.Hosting.ApplicationModel.ExecutableResource>());
        var connectionString = await graph.App.GetConnectionStringAsync("redis", cts.Token);
        var options = ConfigurationOptions.Parse(connectionString!);
        options.AllowAdmin = true; // for INFO
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var info = await redis.GetServer(redis.GetEndPoints()[0]).InfoAsync("server");
        Assert.Contains(info.SelectMany(g => g), pair => pair.Key == "executable" && pair.Value.EndsWith("redis-server", StringComparison.Ordinal));
        // The node registers once it has opened its dataset, a moment after it reports healthy.
        Assert.True(await Eventually.TrueAsync(() => redis.GetDatabase().KeyExistsAsync("zk0:nodes:leases"), TimeSpan.FromSeconds(60), cts.Token),
            "no node registered in redis-server within a minute");
    }
}
