using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Grpc.Net.Client;
using Zk0.Federation.Protocol;
using Zk0.Tests.Integration.Graph;

namespace Zk0.Tests.Integration;

/// <summary>
/// A run started with the SuperLink's "Start run" command (as from the dashboard) while the SuperLink process is stopped
/// and started again by Aspire's resource commands: the run resumes from Redis and the blob store, completes every
/// round with every node's update and a server evaluation, and commits the same final model as the undisturbed default
/// run of the same settings and seed.
/// </summary>
[Collection(FederationGraphCollection.Name)]
public sealed class SuperLinkRestartOnTheGraphTests(FederationGraphFixture fixture)
{
    [Fact]
    public async Task ARunStartedFromTheDashboardCompletesAcrossAStoppedAndRestartedSuperLink()
    {
        using var cts = new CancellationTokenSource(FederationGraphFixture.Timeout);
        var graph = fixture.Graph;
        var first = await fixture.DefaultRun.WaitAsync(cts.Token);
        var superlink = graph.Resource("superlink");
        var runId = await graph.StartRunAsync(first.RunId, cts.Token);

        DateTime stoppedAt;
        try
        {
            var stopped = await graph.App.ResourceCommands.ExecuteCommandAsync(superlink, KnownResourceCommands.StopCommand, cts.Token);
            Assert.True(stopped.Success, stopped.Message);
            stoppedAt = DateTime.UtcNow;
            Assert.True(graph.Notifications.TryGetCurrentState("run", out var duringStop) && duringStop.Snapshot.State?.Text == "Running",
                "the run ended before the SuperLink was stopped, so the restart was not exercised");
            await Task.Delay(TimeSpan.FromSeconds(3), cts.Token);
            // Stopped by the operator, not crashed: the AppHost's supervisor leaves it stopped.
            Assert.True(graph.Notifications.TryGetCurrentState("superlink", out var stillStopped)
                        && Aspire.Hosting.ApplicationModel.KnownResourceStates.TerminalStates.Contains(stillStopped.Snapshot.State?.Text),
                $"the SuperLink the operator stopped is {stillStopped?.Snapshot.State?.Text}, not stopped");
        }
        finally
        {
            // The other tests of the collection share this graph: whatever happened, the SuperLink runs again.
            await graph.App.ResourceCommands.ExecuteCommandAsync(superlink, KnownResourceCommands.StartCommand, cts.Token);
        }
        var backUp = await graph.Notifications.WaitForResourceHealthyAsync("superlink", cts.Token);

        var second = await graph.WaitForRunAsync(cts.Token, runId);

        Assert.True(backUp.Snapshot.StartTimeStamp > stoppedAt, "the SuperLink process was not started again");
        Assert.True(second.State == "Completed", $"run ended {second.State}; the graph's log is {graph.LogPath}");
        using var channel = GrpcChannel.ForAddress(graph.App.GetEndpoint("gateway", "grpc"));
        var run = await new Control.ControlClient(channel).GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: cts.Token);
        Assert.Equal([1, 2], run.Rounds.Select(r => r.Round));
        Assert.All(run.Rounds, r => Assert.Equal(FederationGraphFixture.Nodes, r.Train.Count));
        Assert.All(run.Rounds, r => Assert.NotNull(r.Eval));
        // Same settings and seed as the undisturbed default run: the restart must not change the model.
        Assert.Equal(FinalModelHash(first), run.Summary.GlobalModelHash);
        Assert.Equal(run.Summary.GlobalModelHash, FinalModelHash(second));
    }

    private static string FinalModelHash(FinishedRun run)
    {
        using var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(run.MetricsPath));
        return metrics.RootElement.GetProperty("final_model_hash").GetString()!;
    }
}
