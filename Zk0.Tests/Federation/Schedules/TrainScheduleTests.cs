using System.Globalization;
using Zk0.Federation.Runs;
using Zk0.Federation.Schedules;
using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Schedules;

public sealed class TrainScheduleTests
{
    private static (RunConfiguration Config, TrainSchedule Schedule) Parse(string assignments)
    {
        var config = RunConfiguration.Parse(RunConfiguration.ParseAssignments(assignments));
        return (config, TrainSchedule.Parse(config, StrategyCatalog.Create(config)));
    }

    private static double Number(IReadOnlyDictionary<string, string> config, string key) => double.Parse(config[key], CultureInfo.InvariantCulture);

    [Fact]
    public void EvalTrendStallReachesTheNextRoundsTrainConfig()
    {
        var (config, schedule) = Parse("strategy=fedprox proximal-mu=0.01 learning-rate=0.001 adaptation=eval-trend");
        var nodes = new[] { new AvailableNode("n1", "d1", 5) };
        var round4 = schedule.ForRound(4, [1.0, 0.99, 0.995]);

        var assignment = StrategyCatalog.Create(config).ConfigureTrain(4, config, nodes).Single();
        var sent = schedule.Apply(assignment.Config, round4);

        // Stall → ×0.8: the node trains round 4 with LR 8e-4 and mu 0.008, not the configured 1e-3 and 0.01.
        Assert.Equal(8e-4, Number(sent, "learning-rate"), 12);
        Assert.Equal(0.008, Number(sent, "proximal-mu"), 12);
        Assert.Equal("4", sent["server-round"]);
        var metrics = TrainSchedule.Metrics(round4);
        Assert.Equal(8e-4, metrics["round-learning-rate"], 12);
        Assert.Equal(0.008, metrics["round-proximal-mu"], 12);
        Assert.Equal(0.8, metrics["round-adaptation-factor"], 12);
    }

    [Fact]
    public void ScheduleShapesTheAdaptedBaseRate()
    {
        // Base 1e-3 stalls once (→ 8e-4); cosine-warmup W=2 of 4 rounds at round 1 gives half of it: 4e-4.
        var (_, schedule) = Parse("num-server-rounds=4 learning-rate=0.001 lr-schedule=cosine-warmup warmup-rounds=2 adaptation=eval-trend");

        Assert.Equal(4e-4, schedule.ForRound(1, [1.0, 1.0, 1.0]).LearningRate, 12);
        Assert.Equal(5e-4, schedule.ForRound(1, []).LearningRate, 12);
    }

    [Fact]
    public void LearningRateScaleIsTheRoundsRateOverTheRunsBase()
    {
        // Cosine over 4 rounds without warm-up (floor min(1e-7, base)): round 3 is at p = 1/2, (1 + cos π/2)/2 = 1/2 of the base;
        // a stall (×0.8) scales it further.
        var (_, schedule) = Parse("num-server-rounds=4 learning-rate=0.002 lr-schedule=cosine-warmup warmup-rounds=0 min-learning-rate=0 adaptation=eval-trend");

        Assert.Equal(1.0, schedule.LearningRateScale(schedule.ForRound(1, [])), 12);
        Assert.Equal(0.5, schedule.LearningRateScale(schedule.ForRound(3, [])), 12);
        Assert.Equal(0.4, schedule.LearningRateScale(schedule.ForRound(3, [1.0, 1.0, 1.0])), 12);
        Assert.Equal(1.0, Parse("learning-rate=0.002").Schedule.LearningRateScale(Parse("learning-rate=0.002").Schedule.ForRound(7, [])), 12);
    }

    [Fact]
    public void FedProxDefaultMuIsWhatTheAdaptationStartsFrom()
    {
        var (_, schedule) = Parse("strategy=fedprox adaptation=mu-halving mu-halving-rounds=2");

        Assert.Equal(0.01, schedule.ForRound(2, []).ProximalMu, 12);
        Assert.Equal(0.005, schedule.ForRound(3, []).ProximalMu, 12);
    }

    [Fact]
    public void WithoutScheduleOrAdaptationTheTrainConfigIsUntouched()
    {
        var (config, schedule) = Parse("learning-rate=0.002");
        var round = schedule.ForRound(3, [3, 2, 1]);

        Assert.False(schedule.ChangesTrainConfig);
        Assert.Same(config.Values, schedule.Apply(config.Values, round));
        Assert.Equal(0.002, round.LearningRate, 12);
    }

    [Theory]
    [InlineData("lr-schedule=linear", "lr-schedule")]
    [InlineData("adaptation=magic", "adaptation")]
    [InlineData("lr-schedule=cosine-warmup num-server-rounds=3 warmup-rounds=4", "warmup-rounds")]
    [InlineData("lr-schedule=cosine-restarts restart-period=0", "restart-period")]
    [InlineData("lr-schedule=cosine-restarts restart-multiplier=1.5", "restart-multiplier")]
    [InlineData("learning-rate=-1", "learning-rate")]
    [InlineData("adaptation=eval-trend stall-factor=1.5", "stall-factor")]
    [InlineData("adaptation=eval-trend adapt-lr-min=0.01 adapt-lr-max=0.001", "adapt-lr-min")]
    [InlineData("adaptation=mu-halving mu-halving-rounds=0", "mu-halving-rounds")]
    public void BadScheduleValuesNameTheKey(string assignments, string key)
    {
        var error = Assert.Throws<RunConfigurationException>(() => Parse(assignments));

        Assert.Equal(key, error.Key);
        Assert.Contains("expected", error.Message);
    }
}
