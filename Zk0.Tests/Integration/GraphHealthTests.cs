using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using StackExchange.Redis;
using Zk0.Tests.Integration.Graph;

namespace Zk0.Tests.Integration;

[Collection(FederationGraphCollection.Name)]
public sealed class GraphHealthTests(FederationGraphFixture fixture)
{
    [Fact]
    public async Task EveryProjectResourceBecomesHealthyAndTheGatewayAndRedisAnswer()
    {
        using var cts = new CancellationTokenSource(FederationGraphFixture.Timeout);
        var graph = fixture.Graph;
        var projects = graph.ResourceNames<ProjectResource>();

        foreach (var name in projects.Append("redis"))
            await graph.Notifications.WaitForResourceHealthyAsync(name, cts.Token);

        Assert.Equal(["evaluator", "garnet", "gateway", "superlink", "supernode-0", "supernode-1"], projects.Order());
        using var http = graph.App.CreateHttpClient("gateway", "http");
        using var health = await http.GetAsync("/health", cts.Token);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var connectionString = await graph.App.GetConnectionStringAsync("redis", cts.Token);
        Assert.Matches("^localhost:[0-9]+,password=[A-Za-z0-9]{22,}$", connectionString);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString!);
        var database = redis.GetDatabase();
        await database.StringSetAsync("zk0-test:graph", "reachable");
        Assert.Equal("reachable", (string?)await database.StringGetAsync("zk0-test:graph"));
        // The SuperLink keeps its node registry there: both nodes and the evaluator hold a lease once registered.
        Assert.True(await Eventually.TrueAsync(async () => await database.SortedSetLengthAsync("zk0:nodes:leases") >= FederationGraphFixture.Nodes + 1,
            TimeSpan.FromSeconds(60), cts.Token), "the nodes and the evaluator did not all register within a minute");
    }
}
