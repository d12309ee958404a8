using Grpc.Core;
using NormalizationStatistics = Zk0.Federation.Normalization.NormalizationStatistics;
using Zk0.Federation.Protocol;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Rounds;

/// <summary>A run normalizes every node alike: round 1 pools its trainers' dataset statistics and every task carries them.</summary>
public sealed class RunNormalizationTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    private const string Key = "normalization-stats";

    // Node A's actions are −1 and 1, node B's 3 and 5: pooled, −1, 1, 3, 5 have mean 2 and std √5.
    private static FeatureStatistics Action(long count, double min, double max, double mean, double std) =>
        new() { Feature = "action", Count = count, Min = { min }, Max = { max }, Mean = { mean }, Std = { std } };

    private static async Task<(FederationScenario Scenario, TestNode A, TestNode B, TestNode Evaluator)> StartAsync(GarnetFixture redis)
    {
        var scenario = await FederationScenario.StartAsync(redis);
        var a = scenario.AddTrainer("ds-a", 1, 100);
        a.DatasetStats.Add(Action(2, -1, 1, 0, 1));
        var b = scenario.AddTrainer("ds-b", 3, 300);
        b.DatasetStats.Add(Action(2, 3, 5, 4, 1));
        var evaluator = scenario.AddEvaluator();
        await scenario.StartAsync(a, b, evaluator);
        return (scenario, a, b, evaluator);
    }

    [Fact]
    public async Task RoundOnePoolsTheTrainersStatisticsAndEveryTaskOfTheRunCarriesThem()
    {
        var (scenario, a, b, evaluator) = await StartAsync(redis);
        await using var _ = scenario;

        var runId = await scenario.SubmitAsync("num-server-rounds=2 min-train-nodes=2");
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        var pooled = NormalizationStatistics.Parse(run.Summary.Config[Key]).Of("action")!;
        Assert.Equal((4L, -1.0, 5.0, 2.0), (pooled.Count, pooled.Min[0], pooled.Max[0], pooled.Mean[0]));
        Assert.Equal(Math.Sqrt(5), pooled.Std[0], 12);
        var configs = a.TrainConfigs.Concat(b.TrainConfigs).Concat(evaluator.EvaluateConfigs).ToList();
        Assert.Equal(6, configs.Count);
        Assert.All(configs, c => Assert.Equal(run.Summary.Config[Key], c.Config[Key]));

        using var events = scenario.Host.Control.StreamRunEvents(new StreamRunEventsRequest { RunId = runId });
        var started = await events.ResponseStream.ReadAllAsync().FirstAsync(e => e.Kind == RunEventKind.RoundStarted);
        Assert.Contains("normalization pooled from 2 dataset(s), 4 frames", started.Message);
    }

    [Fact]
    public void TheSameDatasetsPoolToTheSameBitsWhateverOrderTheirNodesCameIn()
    {
        // Floating-point sums depend on their order: (1e16 + 1) − 1e16 = 0, (1e16 − 1e16) + 1 = 1.
        var nodes = new[] { ("ds-a", 1e16), ("ds-b", 1.0), ("ds-c", -1e16) }.Select(d => new Zk0.SuperLink.State.NodeRecord(
            "node-" + d.Item1, d.Item1, "train", 1, new Dictionary<string, string>(), "", 0, 0,
            DatasetStats: new NormalizationStatistics([Zk0.Federation.Normalization.FeatureStatisticsMessages.FromMessage(Action(1, d.Item2, d.Item2, d.Item2, 0))]))).ToList();

        var jsons = new[] { nodes, [nodes[2], nodes[0], nodes[1]], [nodes[1], nodes[2], nodes[0]] }
            .Select(order => Zk0.SuperLink.Rounds.RunNormalization.PoolInDatasetOrder(order).ToJson()).Distinct().ToList();

        Assert.True(jsons.Count == 1, string.Join(" | ", jsons));
    }

    [Fact]
    public async Task ARunThatSetsItsOwnStatisticsKeepsThem()
    {
        var (scenario, a, _, _) = await StartAsync(redis);
        await using var __ = scenario;
        const string own = """{"action":{"min":[0],"max":[10],"mean":[5],"std":[2],"count":[50]}}""";

        var request = new SubmitRunRequest { Config = { ["num-server-rounds"] = "1", ["min-train-nodes"] = "2", [Key] = own } };
        var runId = (await scenario.Host.Control.SubmitRunAsync(request)).RunId;
        var run = await RunWaiter.CompletedAsync(() => scenario.Host, runId);

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.Equal(own, run.Summary.Config[Key]);
        Assert.All(a.TrainConfigs, c => Assert.Equal(own, c.Config[Key]));
    }

    [Fact]
    public async Task TrainersThatSendNoStatisticsKeepTheirOwnNormalization()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var plain = scenario.AddTrainer("ds-plain", 1, 100);
        await scenario.StartAsync(plain, scenario.AddEvaluator());

        var run = await RunWaiter.CompletedAsync(() => scenario.Host, await scenario.SubmitAsync("num-server-rounds=1"));

        Assert.Equal(RunStatus.Completed, run.Summary.Status);
        Assert.False(run.Summary.Config.ContainsKey(Key));
        Assert.All(plain.TrainConfigs, c => Assert.False(c.Config.ContainsKey(Key)));
    }

    [Fact]
    public async Task TrainersWhoseActionsDifferInSizeFailTheRunSayingSo()
    {
        await using var scenario = await FederationScenario.StartAsync(redis);
        var one = scenario.AddTrainer("ds-one", 1, 100);
        one.DatasetStats.Add(Action(2, -1, 1, 0, 1));
        var two = scenario.AddTrainer("ds-two", 1, 100);
        two.DatasetStats.Add(new FeatureStatistics { Feature = "action", Count = 2, Min = { 0, 0 }, Max = { 1, 1 }, Mean = { 0.5, 0.5 }, Std = { 0.5, 0.5 } });
        await scenario.StartAsync(one, two, scenario.AddEvaluator());

        var run = await RunWaiter.CompletedAsync(() => scenario.Host, await scenario.SubmitAsync("num-server-rounds=1 min-train-nodes=2"));

        Assert.Equal(RunStatus.Failed, run.Summary.Status);
        Assert.Contains("cannot share one normalization: 'action' has", run.Summary.Message);
        Assert.Empty(one.TrainConfigs);
    }
}
