using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;
using Zk0.SuperLink.State;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Federation.Schedules;

public sealed class ScheduledRunTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task EvalTrendAdaptationReachesTheNodesInTheNextRoundAndIsRecordedWithIt()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        // The test evaluator scores a model by its value: init 1.0, +1 per round, so the losses 2, 3, 4 diverge.
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), scenario.AddEvaluator());

        var runId = await scenario.SubmitAsync("num-server-rounds=4 strategy=fedprox proximal-mu=0.01 learning-rate=0.0005 adaptation=eval-trend");
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.Equal([2.0, 3.0, 4.0, 5.0], run.Rounds.Select(r => Math.Round(r.Eval.Loss, 3)));
        // Rounds 1–3 train with the configured values; after evaluations 2, 3, 4 ((2 − 4)/2 = −1 < −0.05) round 4 gets ×1.1.
        double[] expectedLr = [5e-4, 5e-4, 5e-4, 5.5e-4];
        double[] expectedMu = [0.01, 0.01, 0.01, 0.011];
        var state = scenario.Host.Services.GetRequiredService<ILinkState>();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expectedLr[i], run.Rounds[i].TrainMetrics["round-learning-rate"], 12);
            Assert.Equal(expectedMu[i], run.Rounds[i].TrainMetrics["round-proximal-mu"], 12);
            var result = Assert.Single(await state.GetResultsAsync(runId, i + 1));
            var task = await state.GetTaskAsync(result.TaskId);
            Assert.Equal(expectedLr[i], double.Parse(task!.Config["learning-rate"], System.Globalization.CultureInfo.InvariantCulture), 12);
            Assert.Equal(expectedMu[i], double.Parse(task.Config["proximal-mu"], System.Globalization.CultureInfo.InvariantCulture), 12);
        }
    }

    [Fact]
    public async Task FedAdamsServerStepFollowsTheLearningRateSchedule()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        await scenario.StartAsync(scenario.AddTrainer("ds-a", 1, 100), scenario.AddEvaluator());

        var runId = await scenario.SubmitAsync("num-server-rounds=2 strategy=fedadam server-learning-rate=1 beta-1=0.5 beta-2=0.5 tau=1e-12 " +
            "lr-schedule=cosine-warmup warmup-rounds=0 min-learning-rate=0");
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        // Each round the trainer adds 1 (Δ = 1). Round 1 at the full rate: m = 0.5, v = 0.5, η₁ = 1/√0.75, step 0.8164966.
        // Round 2 at half the rate (cosine over 2 rounds): m = 0.75, v = 0.75, η₂ = 1/√0.875, step 0.5·0.9258201 = 0.4629100.
        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.Equal(1.8164966, run.Rounds[0].Eval.Loss, 4);
        Assert.Equal(1.8164966 + 0.4629100, run.Rounds[1].Eval.Loss, 4);
    }

    [Fact]
    public async Task BadScheduleValueIsRefusedAtSubmission()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);

        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => scenario.SubmitAsync("lr-schedule=cosine-warmup warmup-rounds=many"));

        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("warmup-rounds", error.Status.Detail);
    }
}
