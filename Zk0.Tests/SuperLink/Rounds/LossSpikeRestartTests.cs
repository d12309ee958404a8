using Zk0.Federation.Protocol;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Rounds;

public sealed class LossSpikeRestartTests(RedisServerProcessFixture redis) : IClassFixture<RedisServerProcessFixture>
{
    [Fact]
    public async Task ARestartedSuperLinkKeepsTheSpikedRoundUnadoptedAndResumesFromTheModelBeforeIt()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), scenario.AddEvaluator());
        var runId = await scenario.SubmitAsync("num-server-rounds=4 loss-spike-threshold=0.4");

        // Down once round 2 (3.0 > 2.0·1.4) was judged: the decision is not held in memory, so the new SuperLink makes the same one.
        var afterRound2 = await RunWaiter.WaitAsync(() => scenario.Host, runId, r => r.Summary.CompletedRounds >= 2, TimeSpan.FromSeconds(60));
        await scenario.RestartSuperLinkAsync();
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.Equal(0.0, afterRound2.Rounds[1].TrainMetrics["adopted"]);
        // Every round after the first trains on round 1's model (2.0) and scores 3.0: none adopted, the run ends with round 1's.
        Assert.Equal([2.0, 3.0, 3.0, 3.0], run.Rounds.Select(r => Math.Round(r.Eval.Loss, 4)));
        Assert.Equal([1.0, 0.0, 0.0, 0.0], run.Rounds.Select(r => r.TrainMetrics["adopted"]));
        Assert.Equal(run.Rounds[0].ModelHash, run.Summary.GlobalModelHash);
    }
}
