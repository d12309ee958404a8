using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;
using Zk0.SuperLink.Hosting;
using Zk0.SuperLink.Rounds;
using Zk0.SuperLink.State;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Rounds;

/// <summary>The Evaluator drill: an evaluator that dies holding an evaluate task does not hold the round until eval-timeout.</summary>
public sealed class EvaluatorLossTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task AnEvaluatorLostMidEvaluationIsReplacedAndEachRoundIsEvaluatedOnce()
    {
        await using var scenario = await FederationScenario.StartAsync(redis,
            services => services.Configure<SuperLinkOptions>(o => o.NodeLease = TimeSpan.FromSeconds(2)));
        var fleet = scenario.Host.Fleet;
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), scenario.AddTrainer("ds-b", 3, 300));
        var runId = await scenario.SubmitAsync("num-server-rounds=2 eval-timeout-seconds=120 node-wait-timeout-seconds=60");

        // The first evaluator takes round 1's evaluate task and dies with it: it never calls again.
        var dead = (await fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = "held-out", Role = "evaluator" })).NodeId;
        FederatedTask? taken = null;
        for (var wait = Stopwatch.StartNew(); taken is null && wait.Elapsed < TimeSpan.FromSeconds(30);)
            taken = (await fleet.PullTaskAsync(PullTaskRequest.LongPoll(dead, TimeSpan.FromSeconds(1)))).Task;
        Assert.NotNull(taken);
        Assert.Equal((TaskKind.Evaluate, 1), (taken.Kind, taken.Round));

        // Its replacement (a restarted Evaluator registers anew) redoes the evaluation once the dead one's lease is gone.
        var lostAt = Stopwatch.StartNew();
        var replacement = scenario.AddEvaluator();
        await scenario.StartAsync(replacement);
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId, TimeSpan.FromSeconds(60));
        var took = lostAt.Elapsed;

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.True(took < TimeSpan.FromSeconds(30), $"The run took {took} after the evaluator died; eval-timeout is 120 s.");
        var events = await scenario.Host.Services.GetRequiredService<ILinkState>().ReadEventsAsync(runId, 0);
        var evaluations = events.Where(e => e.Kind == RunEvents.EvaluationRecorded).ToList();
        Assert.Equal([1, 2], evaluations.Select(e => e.Round));
        Assert.All(evaluations, e => Assert.Equal(replacement.NodeId, e.NodeId));
        Assert.All(run.Rounds, r => Assert.Equal(r.ModelHash, r.Eval.ModelHash));
        Assert.Contains(events, e => e.Kind == RunEvents.TaskAssigned && e.Round == 1 && e.Message.Contains(dead));

        // The dead evaluator's report, arriving after all, changes nothing.
        var late = new RecordEvaluationRequest { RunId = runId, Round = 1, ModelHash = taken.GlobalModelHash, Loss = 99, TaskId = taken.TaskId, NodeId = dead };
        var refused = await Assert.ThrowsAsync<RpcException>(() => scenario.Host.Control.RecordEvaluationAsync(late).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.NotEqual(99, (await scenario.Host.Control.GetRunAsync(new GetRunRequest { RunId = runId })).Rounds[0].Eval.Loss);
    }

    [Fact]
    public async Task TheFirstOfTwoEvaluationsOfARoundCountsAndIsTheOnlyOneInTheEvents()
    {
        await using var scenario = await FederationScenario.StartAsync(redis,
            services => services.Configure<SuperLinkOptions>(o => o.NodeLease = TimeSpan.FromSeconds(2)));
        var fleet = scenario.Host.Fleet;
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100));
        var runId = await scenario.SubmitAsync("num-server-rounds=1 eval-timeout-seconds=120 node-wait-timeout-seconds=60");

        // A slow evaluator takes the task and falls silent long enough for the task to be issued again to a second one.
        var slow = (await fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = "held-out", Role = "evaluator" })).NodeId;
        FederatedTask? first = null;
        for (var wait = Stopwatch.StartNew(); first is null && wait.Elapsed < TimeSpan.FromSeconds(30);)
            first = (await fleet.PullTaskAsync(PullTaskRequest.LongPoll(slow, TimeSpan.FromSeconds(1)))).Task;
        Assert.NotNull(first);
        var second = (await fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = "held-out", Role = "evaluator" })).NodeId;
        FederatedTask? again = null;
        for (var wait = Stopwatch.StartNew(); again is null && wait.Elapsed < TimeSpan.FromSeconds(30);)
            again = (await fleet.PullTaskAsync(PullTaskRequest.LongPoll(second, TimeSpan.FromSeconds(1)))).Task;
        Assert.NotNull(again);
        Assert.NotEqual(first.TaskId, again.TaskId);

        // Both report; the slow one first: it counts, the second is told the round is evaluated.
        RecordEvaluationRequest Report(FederatedTask task, string node, double loss) =>
            new() { RunId = runId, Round = 1, ModelHash = task.GlobalModelHash, Loss = loss, TaskId = task.TaskId, NodeId = node };
        Assert.True((await scenario.Host.Control.RecordEvaluationAsync(Report(first, slow, 1.25))).Accepted);
        var refused = await Assert.ThrowsAsync<RpcException>(() => scenario.Host.Control.RecordEvaluationAsync(Report(again, second, 7.5)).ResponseAsync);
        Assert.True(refused.StatusCode is StatusCode.AlreadyExists or StatusCode.FailedPrecondition, refused.ToString());

        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId, TimeSpan.FromSeconds(30));
        Assert.Equal(1.25, run.Rounds[0].Eval.Loss);
        var events = await scenario.Host.Services.GetRequiredService<ILinkState>().ReadEventsAsync(runId, 0);
        Assert.Equal(slow, Assert.Single(events, e => e.Kind == RunEvents.EvaluationRecorded).NodeId);
    }
}
