using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Zk0.Tests.Integration.Graph;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Integration;

/// <summary>What an operator sees on the resources when the graph cannot work: the cause and what to do, not a stack trace.</summary>
public sealed class GraphStartProblemsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task AnUnreachableRedisIsNamedOnTheRedisResourceWithWhatToDoAndNothingStartsOnIt()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var closedPort = FreePort.Next();
        await using var graph = await TestGraph.BuildAsync("unreachable-redis",
            ["--nodes", "1", "--no-run", "--redis", $"localhost:{closedPort},connectTimeout=500"], cancellationToken: cts.Token);
        // Aspire's start-up completes only once every resource has started, and the SuperLink waits for Redis.
        _ = graph.App.StartAsync(cts.Token);

        var unhealthy = await graph.Notifications.WaitForResourceAsync("redis",
            e => e.Snapshot.HealthReports.Any(h => h.Status == HealthStatus.Unhealthy && h.Description?.Contains("does not answer PING") == true), cts.Token);

        var report = unhealthy.Snapshot.HealthReports.First(h => h.Description?.Contains("PING") == true).Description!;
        Assert.Contains($"Redis at localhost:{closedPort} does not answer PING", report);
        Assert.Contains("--redis embedded", report);
        await graph.Notifications.WaitForResourceAsync("superlink", KnownResourceStates.Waiting, cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(3), cts.Token);
        Assert.True(graph.Notifications.TryGetCurrentState("superlink", out var superlink));
        Assert.Equal(KnownResourceStates.Waiting, superlink.Snapshot.State?.Text);
    }

    [Fact]
    public async Task ADatasetThatDoesNotExistStopsItsNodeWithAMessageNamingTheDatasetAndTheSetting()
    {
        using var cts = new CancellationTokenSource(Timeout);
        const string missing = "local:/no/such/zk0-dataset";
        await using var graph = await TestGraph.BuildAsync("missing-dataset",
            ["--nodes", "1", "--no-run", $"--Parameters:supernode-0-dataset={missing}"], cancellationToken: cts.Token);
        await graph.App.StartAsync(cts.Token);

        var stopped = await graph.Notifications.WaitForResourceAsync("supernode-0",
            e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cts.Token);

        Assert.Equal(2, stopped.Snapshot.ExitCode);
        var log = await ResourceLogAsync(graph, "supernode-0", cts.Token);
        Assert.Contains(log, line => line.Contains($"Dataset '{missing}' cannot be used") && line.Contains("SuperNode:DatasetUri"));
        Assert.DoesNotContain(log, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    private static async Task<List<string>> ResourceLogAsync(TestGraph graph, string name, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var logs = graph.App.Services.GetRequiredService<ResourceLoggerService>();
        await foreach (var batch in logs.GetAllAsync(graph.Resource(name)).WithCancellation(cancellationToken))
            lines.AddRange(batch.Select(l => l.Content));
        return lines;
    }
}
