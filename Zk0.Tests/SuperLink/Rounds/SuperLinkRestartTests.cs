using Zk0.Federation.Protocol;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Rounds;

public sealed class SuperLinkRestartTests(RedisServerProcessFixture redis) : IClassFixture<RedisServerProcessFixture>
{
    [Fact]
    public async Task RestartedSuperLinkResumesTheRunFromRedisAndTheBlobStore()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var nodeB = scenario.AddTrainer("ds-b", 3, 300);
        var allowB = true;
        nodeB.Active = () => allowB;
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), nodeB, scenario.AddEvaluator());
        var runId = await scenario.SubmitAsync("num-server-rounds=3 min-train-nodes=2");

        // Hold node B back after round 1 so round 2 is open (node A's result in, B's not) when the SuperLink goes down.
        var afterRound1 = await RunWaiter.WaitAsync(() => scenario.Host, runId, r => r.Summary.CompletedRounds >= 1, TimeSpan.FromSeconds(60));
        allowB = false;
        var round1Model = afterRound1.Rounds[0].ModelHash;
        await scenario.RestartSuperLinkAsync();
        allowB = true;

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
}
