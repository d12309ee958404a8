using Zk0.Federation.Runs;
using Zk0.Federation.Schedules;
using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Schedules;

public sealed class PlateauAdaptationTests
{
    private static TrainSchedule Parse(string assignments)
    {
        var config = RunConfiguration.Parse(RunConfiguration.ParseAssignments(assignments));
        return TrainSchedule.Parse(config, StrategyCatalog.Create(config));
    }

    // Server eval loss of rounds 1..10.
    private static readonly double[] Losses = [1.0, 0.95, 0.80, 0.79, 0.85, 0.70, 0.69, 0.68, 0.68, 0.68];

    [Fact]
    public void LearningRateHalvesAfterMoreThanPatienceEvaluationsWithoutTenPercentImprovement()
    {
        var schedule = Parse("learning-rate=0.001 adaptation=plateau plateau-patience=1 plateau-threshold=0.1 plateau-factor=0.5 min-learning-rate=0.0002");

        // By hand, "better" means below best·0.9:
        // 1.0 best; 0.95 bad 1; 0.80 best; 0.79 bad 1; 0.85 bad 2 > 1 → 5e-4; 0.70 best; 0.69 bad 1; 0.68 bad 2 → 2.5e-4;
        // 0.68 bad 1; 0.68 bad 2 → 1.25e-4, held at the floor 2e-4.
        double[] expected = [1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 5e-4, 2.5e-4, 2.5e-4, 2e-4];
        for (var round = 1; round <= 11; round++)
            Assert.Equal(expected[round - 1], schedule.ForRound(round, Losses.Take(round - 1).ToList()).LearningRate, 12);

        Assert.Equal(0.5, schedule.ForRound(6, Losses.Take(5).ToList()).AdaptationFactor);
        Assert.Equal(1.0, schedule.ForRound(7, Losses.Take(6).ToList()).AdaptationFactor);
    }

    [Fact]
    public void MuIsLeftAloneAndDefaultsArePatienceTwoFactorHalf()
    {
        var schedule = Parse("strategy=fedprox proximal-mu=0.1 learning-rate=0.01 adaptation=plateau");

        // Defaults: patience 2, threshold 1e-4, factor 0.5, floor 10% of 0.01. Three evaluations of 1.0: best, bad 1, bad 2 (no cut yet).
        Assert.Equal(0.01, schedule.ForRound(4, [1.0, 1.0, 1.0]).LearningRate, 12);
        var cut = schedule.ForRound(5, [1.0, 1.0, 1.0, 1.0]);
        Assert.Equal(0.005, cut.LearningRate, 12);
        Assert.Equal(0.1, cut.ProximalMu, 12);
    }

    [Theory]
    [InlineData("adaptation=plateau plateau-factor=1", "plateau-factor")]
    [InlineData("adaptation=plateau plateau-patience=-1", "plateau-patience")]
    [InlineData("adaptation=plateau plateau-threshold=1", "plateau-threshold")]
    public void BadValuesNameTheirKey(string assignments, string key)
    {
        var error = Assert.Throws<RunConfigurationException>(() => Parse(assignments));

        Assert.Equal(key, error.Key);
    }
}
