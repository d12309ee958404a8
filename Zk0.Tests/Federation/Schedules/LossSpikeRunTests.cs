using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;
using Zk0.SuperLink.Rounds;
using Zk0.SuperLink.State;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Federation.Schedules;

public sealed class LossSpikeRunTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task ASpikedRoundIsNotAdoptedAndTheNextRoundStartsFromTheModelBeforeIt()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        // The test evaluator scores a model by its value: init 1.0, +1 per round trained on it.
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), scenario.AddEvaluator());

        var runId = await scenario.SubmitAsync("num-server-rounds=3 loss-spike-threshold=0.4");
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        // Round 1: 2.0, the first evaluation, adopted. Round 2: 3.0 > 2.0·1.4 = 2.8, not adopted. Round 3 trains on round 1's
        // model again (2.0 + 1 = 3.0, not 4.0), again above 2.8: not adopted. The run ends with round 1's model.
        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.Equal([2.0, 3.0, 3.0], run.Rounds.Select(r => Math.Round(r.Eval.Loss, 4)));
        Assert.Equal([1.0, 0.0, 0.0], run.Rounds.Select(r => r.TrainMetrics["adopted"]));
        var state = scenario.Host.Services.GetRequiredService<ILinkState>();
        Assert.Equal(run.Rounds[0].ModelHash, (await state.GetRoundAsync(runId, 2))!.BaseModelHash);
        Assert.Equal(run.Rounds[0].ModelHash, (await state.GetRoundAsync(runId, 3))!.BaseModelHash);
        Assert.Equal(run.Rounds[0].ModelHash, run.Summary.GlobalModelHash);
        var final = TinyModel.Load(Path.Combine(scenario.BlobDirectory, run.Summary.GlobalModelHash[..2], run.Summary.GlobalModelHash));
        Assert.All(final.Weight, w => Assert.Equal(2f, w, 5));

        var completed = (await state.ReadEventsAsync(runId, 0)).Where(e => e.Kind == RunEvents.RoundCompleted).ToList();
        Assert.Equal([1.0, 0.0, 0.0], completed.Select(e => e.Metrics["adopted"]));
        Assert.StartsWith("Not adopted", completed[1].Message);
        Assert.Contains(run.Rounds[0].ModelHash, completed[1].Message);
    }

    [Fact]
    public async Task AStalledNodeGetsItsBoostedLearningRateInItsTrainTask()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var node = scenario.AddTrainer("ds-a", 1, 100);
        await scenario.StartAsync(node, scenario.AddEvaluator());

        // The test trainer reports loss 1.0 every round: no improvement. With node-stall-rounds=2 round 3 is the first
        // with two losses of its own behind it (1.0 → 1.0, 0 < 0.01), so it trains at 0.01·1.5 = 0.015.
        var runId = await scenario.SubmitAsync("num-server-rounds=3 learning-rate=0.01 node-lr-boost=1.5 node-stall-rounds=2");
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.Equal(["0.01", "0.01", "0.015"], node.TrainConfigs.OrderBy(t => t.Round).Select(t => t.Config["learning-rate"]));
        // The round's own rate is unchanged; the boost is the node's.
        Assert.All(run.Rounds, r => Assert.Equal(0.01, r.TrainMetrics["round-learning-rate"], 12));
        var state = scenario.Host.Services.GetRequiredService<ILinkState>();
        var round3 = (await state.ReadEventsAsync(runId, 0)).Single(e => e.Kind == RunEvents.RoundStarted && e.Round == 3);
        Assert.Contains($"boosted for stalled node(s) {node.NodeId}", round3.Message);
    }
}
