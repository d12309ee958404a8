using Grpc.Core;
using System.Diagnostics;
using Zk0.Federation.Protocol;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Rounds;

/// <summary>
/// A selected node that stops heartbeating (a killed process) no longer holds its round until round-timeout-seconds:
/// the round closes once its lease lapses, and the node, back again, is selected in the next round.
/// The test host's node lease is 10 s.
/// </summary>
public sealed class NodeLeaseWatchTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task AnInitTaskWhoseNodeLostItsLeaseGoesToAnotherNodeBeforeTheDeadline()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var dead = scenario.AddTrainer("ds-0-first-in-order", 100, 1_000_000);
        await dead.RegisterAsync(); // picked for the init task (first dataset in canonical order), never pulls it
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), scenario.AddEvaluator());
        var clock = Stopwatch.StartNew();

        var runId = await scenario.SubmitAsync("num-server-rounds=1 min-train-nodes=1 round-timeout-seconds=600");
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId, TimeSpan.FromSeconds(90));

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the run took {clock.Elapsed.TotalSeconds:F0} s: the init task waited for its dead node");
        using var call = scenario.Host.Control.StreamRunEvents(new StreamRunEventsRequest { RunId = runId });
        var events = new List<RunEvent>();
        await foreach (var e in call.ResponseStream.ReadAllAsync()) events.Add(e);
        var missed = Assert.Single(events, e => e.Kind == RunEventKind.NodeMissedDeadline && e.Round == 0);
        Assert.Equal(dead.NodeId, missed.NodeId);
        Assert.Contains("lost its node's lease", missed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARoundClosesWhenASelectedNodeLosesItsLeaseAndTheNodeRejoinsTheNextRound()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var dead = scenario.AddTrainer("ds-dead", 100, 1_000_000);
        await dead.RegisterAsync(); // online for one lease, then silent: it never pulls nor heartbeats
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), scenario.AddEvaluator());
        var clock = Stopwatch.StartNew();

        var runId = await scenario.SubmitAsync("num-server-rounds=2 min-train-nodes=2 round-timeout-seconds=600");
        var firstRound = await RunWaiter.WaitAsync(() => scenario.Host, runId, r => r.Rounds.Count >= 1 && r.Rounds[0].ModelHash.Length > 0, TimeSpan.FromSeconds(60));
        var closedAfter = clock.Elapsed;
        using var comeBack = new CancellationTokenSource();
        var rejoined = Task.Run(() => dead.RunAsync(comeBack.Token)); // the node is back, under its node id, and renews its lease
        try
        {
            var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

            Assert.Equal(RunStatus.Completed, run.Summary.Status);
            Assert.True(closedAfter < TimeSpan.FromSeconds(45), $"round 1 closed after {closedAfter.TotalSeconds:F0} s, not when the node's 10 s lease lapsed");
            Assert.Equal(["ds-a"], firstRound.Rounds[0].Train.Select(t => t.DatasetId));
            Assert.Equal([dead.NodeId], run.Rounds[0].MissingNodes);
            Assert.Equal(["ds-a", "ds-dead"], run.Rounds[1].Train.Select(t => t.DatasetId).Order());
            Assert.Empty(run.Rounds[1].MissingNodes);
            // Its round-1 task, still queued for it, was dropped: that round had closed.
            Assert.DoesNotContain(dead.TrainConfigs, t => t.Round == 1);

            using var call = scenario.Host.Control.StreamRunEvents(new StreamRunEventsRequest { RunId = runId });
            var events = new List<RunEvent>();
            await foreach (var e in call.ResponseStream.ReadAllAsync()) events.Add(e);
            var missed = Assert.Single(events, e => e.Kind == RunEventKind.NodeMissedDeadline);
            Assert.Equal((1, dead.NodeId), (missed.Round, missed.NodeId));
            Assert.Contains("lost its lease", missed.Message, StringComparison.Ordinal);
        }
        finally
        {
            await comeBack.CancelAsync();
            await rejoined;
        }
    }

    [Fact]
    public async Task AfterARestartANodeWhoseLeaseLapsedWhileNoSuperLinkWasUpIsGivenALeaseToComeBack()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var nodeB = scenario.AddTrainer("ds-b", 3, 300);
        await nodeB.RegisterAsync();
        nodeB.Active = () => !nodeB.TrainConfigs.Any(t => t.Round == 1); // trains round 1, then only heartbeats
        using (var firstLife = new CancellationTokenSource())
        {
            var loop = Task.Run(() => nodeB.RunAsync(firstLife.Token));
            await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), scenario.AddEvaluator());
            var runId = await scenario.SubmitAsync("num-server-rounds=2 min-train-nodes=2 round-timeout-seconds=600");
            await RunWaiter.WaitAsync(() => scenario.Host, runId, r => r.Summary.CompletedRounds >= 1, TimeSpan.FromSeconds(60));
            await firstLife.CancelAsync();
            await loop;

            // Down for longer than the 10 s node lease: every lease lapses. Node B is back only 3 s after the SuperLink.
            await scenario.RestartSuperLinkAsync(down: TimeSpan.FromSeconds(12));
            await Task.Delay(TimeSpan.FromSeconds(3));
            nodeB.Active = () => true;
            using var secondLife = new CancellationTokenSource();
            var back = Task.Run(() => nodeB.RunAsync(secondLife.Token));
            try
            {
                var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

                Assert.Equal(RunStatus.Completed, run.Summary.Status);
                Assert.All(run.Rounds, r => Assert.Equal(["ds-a", "ds-b"], r.Train.Select(t => t.DatasetId).Order()));
                Assert.All(run.Rounds, r => Assert.Empty(r.MissingNodes));
                Assert.Equal([3.5, 6.0], run.Rounds.Select(r => Math.Round(r.Eval.Loss, 4)));
            }
            finally
            {
                await secondLife.CancelAsync();
                await back;
            }
        }
    }
}
