using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;
using Zk0.Tests.Integration.Graph;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Rounds;

public sealed class SuperLinkRestartTests(RedisServerProcessFixture redis) : IClassFixture<RedisServerProcessFixture>
{
    [Fact]
    public async Task RestartedSuperLinkResumesTheRunFromRedisAndTheBlobStore()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var nodeB = scenario.AddTrainer("ds-b", 3, 300);
        // Node B holds back once it has its round-1 task, so round 2 is open (node A's result in, B's not) when the SuperLink goes down.
        var releaseB = nodeB.HoldBackAfterRound(1);
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), nodeB, scenario.AddEvaluator());
        var runId = await scenario.SubmitAsync("num-server-rounds=3 min-train-nodes=2");

        var afterRound1 = await RunWaiter.WaitAsync(() => scenario.Host, runId, r => r.Summary.CompletedRounds >= 1, TimeSpan.FromSeconds(60));
        var round1Model = afterRound1.Rounds[0].ModelHash;
        await scenario.RestartSuperLinkAsync();
        releaseB();

        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.Equal(round1Model, run.Rounds[0].ModelHash);
        Assert.Equal([1, 2, 3], run.Rounds.Select(r => r.Round));
        Assert.All(run.Rounds, r => Assert.Equal(2, r.Train.Count));
        Assert.All(run.Rounds, r => Assert.NotNull(r.Eval));
        // 1.0 + 2.5 per round, whatever happened to the process in between.
        Assert.Equal([3.5, 6.0, 8.5], run.Rounds.Select(r => Math.Round(r.Eval.Loss, 4)));
        var final = TinyModel.Load(Path.Combine(scenario.BlobDirectory, run.Summary.GlobalModelHash[..2], run.Summary.GlobalModelHash));
        Assert.All(final.Weight, w => Assert.Equal(8.5f, w, 5));
    }

    [Fact]
    public async Task ATrainTaskReissuedAfterARestartCarriesTheRoundsScheduledLearningRateAndMu()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var nodeA = scenario.AddTrainer("ds-a", 1, 100);
        var nodeB = scenario.AddTrainer("ds-b", 3, 300);
        // Node B takes tasks until it has its round-1 task, then holds back until released: its round-2 task stays open.
        var releaseB = nodeB.HoldBackAfterRound(1);
        await scenario.StartAsync(nodeA, nodeB, scenario.AddEvaluator());
        var runId = await scenario.SubmitAsync(
            "num-server-rounds=3 min-train-nodes=2 strategy=fedprox proximal-mu=0.5 learning-rate=0.01 lr-schedule=cosine-warmup warmup-rounds=1");

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(nodeA.TrainConfigs.Any(t => t.Round == 2)), TimeSpan.FromSeconds(60), CancellationToken.None), "round 2 did not start");
        await scenario.RestartSuperLinkAsync();
        // Node B's queue now holds its round-2 task from before the restart and the one the new SuperLink issued again.
        var queue = new Zk0.SuperLink.State.RedisKeys(scenario.KeyPrefix).NodeQueue(nodeB.NodeId);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(redis.Connection.GetDatabase().ListLength(queue) == 2), TimeSpan.FromSeconds(60), CancellationToken.None), "the round-2 task was not issued again");
        var state = scenario.Host.Services.GetRequiredService<Zk0.SuperLink.State.ILinkState>();
        var queued = new List<Zk0.SuperLink.State.TaskRecord>();
        foreach (var taskId in await redis.Connection.GetDatabase().ListRangeAsync(queue)) queued.Add((await state.GetTaskAsync(taskId!))!);
        releaseB();
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.All(queued, t => Assert.Equal(2, t.Round));
        Assert.Equal(queued[0].Config, queued[1].Config);
        var round2 = queued.Select(t => t.Config).ToList();
        // The schedule's values for round 2, as node A got them, not the run config's raw ones.
        Assert.Equal(nodeA.TrainConfigs.First(t => t.Round == 2).Config["learning-rate"], round2[0]["learning-rate"]);
        Assert.Equal("0.5", round2[0]["proximal-mu"]);
    }
}
