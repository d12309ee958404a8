using Aspire.Hosting.Testing;
using Grpc.Net.Client;
using Zk0.AppHost;
using Zk0.Federation.Protocol;
using Zk0.Tests.Integration.Graph;

namespace Zk0.Tests.Integration;

/// <summary>
/// <c>kill -9</c> of the graph's processes in the middle of a run: the AppHost starts them again, the run completes, and a
/// SuperLink crash does not change the final model.
/// </summary>
[Collection(FederationGraphCollection.Name)]
public sealed class CrashedResourcesOnTheGraphTests(FederationGraphFixture fixture)
{
    [Fact]
    public async Task AKilledSuperLinkIsRestartedAndTheRunEndsWithTheUndisturbedModel()
    {
        using var cts = new CancellationTokenSource(FederationGraphFixture.Timeout);
        var graph = fixture.Graph;
        var first = await fixture.DefaultRun.WaitAsync(cts.Token);
        var runId = await graph.StartRunAsync(first.RunId, cts.Token);
        await graph.WaitForRunEventAsync(runId, e => e.Kind == RunEventKind.RoundStarted && e.Round == 1, cts.Token);

        var killedAt = graph.Kill("superlink");
        Assert.True(graph.Notifications.TryGetCurrentState("run", out var duringCrash) && duringCrash.Snapshot.State?.Text == "Running",
            "the run ended before the SuperLink was killed, so the crash was not exercised");
        await graph.WaitForRestartAsync("superlink", killedAt, cts.Token);
        var second = await graph.WaitForRunAsync(cts.Token, runId);

        Assert.True(second.State == "Completed", $"run ended {second.State}; the graph's log is {graph.LogPath}");
        // Every node's update made it into every round (a node that lost its task to the crash would change the model)...
        using var channel = GrpcChannel.ForAddress(graph.App.GetEndpoint("gateway", "grpc"));
        var run = await new Control.ControlClient(channel).GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: cts.Token);
        Assert.All(run.Rounds, r => Assert.True(r.Train.Count(t => t.Error.Length == 0) == FederationGraphFixture.Nodes,
            $"round {r.Round}: results [{string.Join("; ", r.Train.Select(t => $"{t.NodeId} '{t.Error}'"))}], missing [{string.Join(", ", r.MissingNodes)}]"));
        // ...and folding them again after the restart gave the very model of the undisturbed run.
        Assert.Equal(FinalModelHash(first), FinalModelHash(second));
    }

    [Fact]
    public async Task AKilledSuperNodeLosesItsLeaseTheRoundGoesOnAndTheRestartedNodeRejoins()
    {
        using var cts = new CancellationTokenSource(FederationGraphFixture.Timeout);
        var graph = fixture.Graph;
        var first = await fixture.DefaultRun.WaitAsync(cts.Token);
        var runId = await graph.StartRunAsync(first.RunId, cts.Token);
        var assigned = await graph.WaitForRunEventAsync(runId, e => e.Kind == RunEventKind.TaskAssigned && e.Round == 1, cts.Token);
        using var channel = GrpcChannel.ForAddress(graph.App.GetEndpoint("gateway", "grpc"));
        var control = new Control.ControlClient(channel);
        var victim = (await control.ListNodesAsync(new ListNodesRequest(), cancellationToken: cts.Token)).Nodes.Single(n => n.NodeId == assigned.NodeId);
        var resource = $"supernode-{Enumerable.Range(0, FederationGraphFixture.Nodes).Single(i => NodeDatasets.DisplayName(i) == victim.DisplayName)}";

        var killedAt = graph.Kill(resource);
        await graph.WaitForRestartAsync(resource, killedAt, cts.Token);
        var finished = await graph.WaitForRunAsync(cts.Token, runId);

        Assert.True(finished.State == "Completed", $"run ended {finished.State}; the graph's log is {graph.LogPath}");
        var lost = await graph.WaitForRunEventAsync(runId, e => e.Kind == RunEventKind.NodeMissedDeadline || e.Terminal, cts.Token);
        // In round 1, or in round 2 when it had reported round 1 before it died (its lease outlived it): either way the
        // round closed on the lease, not on round-timeout-seconds (1800 s by default).
        Assert.Equal((RunEventKind.NodeMissedDeadline, victim.NodeId), (lost.Kind, lost.NodeId));
        Assert.Contains("lost its lease", lost.Message, StringComparison.Ordinal);
        // The restarted node registered again (a new process, a new node id) for the same dataset.
        var nodes = await control.ListNodesAsync(new ListNodesRequest(), cancellationToken: cts.Token);
        Assert.Contains(nodes.Nodes, n => n.Online && n.DatasetId == victim.DatasetId && n.RegisteredUnixMs > new DateTimeOffset(killedAt).ToUnixTimeMilliseconds());
    }

    private static string FinalModelHash(FinishedRun run)
    {
        using var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(run.MetricsPath));
        return metrics.RootElement.GetProperty("final_model_hash").GetString()!;
    }
}
