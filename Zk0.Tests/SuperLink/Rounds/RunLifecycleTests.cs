using Grpc.Core;
using Zk0.Federation.Protocol;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Rounds;

public sealed class RunLifecycleTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    // Init model is 1.0 everywhere; node A (+1, 100 examples) and node B (+3, 300 examples) give FedAvg +2.5 per round.
    private const float DeltaA = 1, DeltaB = 3;

    private static float Expected(int rounds) => 1f + 2.5f * rounds;

    private static string ModelPath(FederationScenario scenario, string hash) => Path.Combine(scenario.BlobDirectory, hash[..2], hash);

    [Fact]
    public async Task TwoNodeRunCompletesWithFedAvgModelAndServerEvaluationEachRound()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        await scenario.StartAsync(scenario.AddTrainer("ds-a", DeltaA, 100), scenario.AddTrainer("ds-b", DeltaB, 300), scenario.AddEvaluator());

        var runId = await scenario.SubmitAsync("num-server-rounds=2 min-train-nodes=2 seed=7 local-steps=3");
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.Equal(2, run.Summary.CompletedRounds);
        Assert.Equal(2, run.Rounds.Count);
        for (var i = 0; i < 2; i++)
        {
            var round = run.Rounds[i];
            Assert.Equal(i + 1, round.Round);
            Assert.Equal(2, round.Train.Count);
            Assert.Equal(["ds-a", "ds-b"], round.Train.Select(t => t.DatasetId).Order());
            Assert.All(round.Train, t => Assert.Equal(64, t.UpdateHash.Length));
            Assert.All(round.Train, t => Assert.Equal(round.BaseModelHash, t.BaseModelHash));
            Assert.Equal(2.5, round.TrainMetrics["loss"], 6);
            Assert.NotNull(round.Eval);
            Assert.Equal(Expected(i + 1), round.Eval.Loss, 5);
            Assert.Equal(round.ModelHash, round.Eval.ModelHash);
            Assert.Equal(Expected(i + 1), round.Eval.Datasets["held-out"].Loss, 5);
            Assert.Empty(round.MissingNodes);
        }
        Assert.Equal(run.Rounds[0].ModelHash, run.Rounds[1].BaseModelHash);
        Assert.Equal(run.InitialModelHash, run.Rounds[0].BaseModelHash);
        var final = TinyModel.Load(ModelPath(scenario, run.Summary.GlobalModelHash));
        Assert.All(final.Weight, w => Assert.Equal(Expected(2), w, 5));
        Assert.All(final.Bias, b => Assert.Equal(Expected(2), b, 5));
        Assert.All(final.Head, h => Assert.Equal(Expected(2), h, 5));
    }

    [Fact]
    public async Task EventStreamReplaysTheRunAndEndsWithItsTerminalEvent()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        await scenario.StartAsync(scenario.AddTrainer("ds-a", DeltaA, 100), scenario.AddEvaluator());
        var runId = await scenario.SubmitAsync("num-server-rounds=1");
        await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        using var call = scenario.Host.Control.StreamRunEvents(new StreamRunEventsRequest { RunId = runId });
        var events = new List<RunEvent>();
        await foreach (var e in call.ResponseStream.ReadAllAsync()) events.Add(e);

        Assert.Equal(RunEventKind.RunSubmitted, events[0].Kind);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Contains(events, e => e.Kind == RunEventKind.ModelCommitted && e.Round == 1);
        Assert.Contains(events, e => e.Kind == RunEventKind.EvaluationRecorded && e.Round == 1);
        Assert.Equal(RunEventKind.RunCompleted, events[^1].Kind);
        Assert.True(events[^1].Terminal);
    }

    [Fact]
    public async Task MissingNodeDoesNotHangTheRunPastTheRoundDeadline()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var silent = scenario.AddTrainer("ds-silent", 100, 1_000_000);
        await silent.RegisterAsync(); // registered and online, but never pulls its tasks
        await scenario.StartAsync(scenario.AddTrainer("ds-a", DeltaA, 100), scenario.AddEvaluator());

        var runId = await scenario.SubmitAsync("num-server-rounds=2 min-train-nodes=2 round-timeout-seconds=2");
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.All(run.Rounds, round => Assert.Equal([silent.NodeId], round.MissingNodes));
        // Only node A's update counts: 1 → 2 → 3.
        Assert.Equal(3f, run.Rounds[1].Eval.Loss, 5);
    }

    [Fact]
    public async Task StoppedRunEndsAndHandsOutNoMoreTasks()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var runId = await scenario.SubmitAsync("num-server-rounds=5 node-wait-timeout-seconds=60");

        var reply = await scenario.Host.Control.StopRunAsync(new StopRunRequest { RunId = runId, Reason = "test over" });

        Assert.Equal(RunStatus.Stopped, reply.Status);
        var node = scenario.AddTrainer("ds-late", 1, 10);
        await node.RegisterAsync();
        var pulled = await scenario.Host.Fleet.PullTaskAsync(new PullTaskRequest { NodeId = node.NodeId });
        Assert.Null(pulled.Task);
        var run = await scenario.Host.Control.GetRunAsync(new GetRunRequest { RunId = runId });
        Assert.Equal("test over", run.Summary.Message);
    }
}
