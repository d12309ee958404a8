using System.Globalization;
using Zk0.Federation.Runs;
using Zk0.Federation.Schedules;
using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Schedules;

public sealed class NodeStallBoostTests
{
    private static TrainSchedule Parse(string assignments)
    {
        var config = RunConfiguration.Parse(RunConfiguration.ParseAssignments(assignments));
        return TrainSchedule.Parse(config, StrategyCatalog.Create(config));
    }

    private const string Boost = "learning-rate=0.01 node-lr-boost=1.5 node-stall-rounds=3 node-stall-threshold=0.05";

    [Fact]
    public void OnlyTheStalledNodeTrainsAtOneAndAHalfTimesTheRoundsRate()
    {
        var schedule = Parse(Boost);
        var round = schedule.ForRound(6, []);
        var config = new Dictionary<string, string> { ["learning-rate"] = "0.01", ["server-round"] = "6" };

        // Node a: last three losses 0.8 → 0.78, (0.8 − 0.78)/0.8 = 0.025 < 0.05: stalled, 0.01·1.5 = 0.015.
        var stalled = schedule.ApplyNodeBoost(config, round, [1.0, 0.9, 0.8, 0.79, 0.78]);
        // Node b: 1.0 → 0.8, 0.2 ≥ 0.05: progressing. Node c: two rounds so far, fewer than node-stall-rounds.
        var progressing = schedule.ApplyNodeBoost(config, round, [1.0, 0.9, 0.8]);
        var newcomer = schedule.ApplyNodeBoost(config, round, [0.9, 0.9]);

        Assert.Equal(0.015, double.Parse(stalled["learning-rate"], CultureInfo.InvariantCulture), 12);
        Assert.Equal("6", stalled["server-round"]);
        Assert.Same(config, progressing);
        Assert.Same(config, newcomer);
    }

    [Fact]
    public void TheBoostStopsAtAdaptLrMaxButNeverCutsTheRoundsRate()
    {
        var config = new Dictionary<string, string> { ["learning-rate"] = "0.01" };
        double[] flat = [0.5, 0.5, 0.5];

        var capped = Parse(Boost + " adapt-lr-max=0.012");
        Assert.Equal("0.012", capped.ApplyNodeBoost(config, capped.ForRound(4, []), flat)["learning-rate"]);

        // A cap below the round's own rate leaves the node at the round's rate.
        var low = Parse(Boost + " adapt-lr-max=0.005");
        Assert.Same(config, low.ApplyNodeBoost(config, low.ForRound(4, []), flat));
    }

    [Theory]
    [InlineData("node-lr-boost=1", "node-lr-boost")]
    [InlineData("node-lr-boost=2 node-stall-rounds=1", "node-stall-rounds")]
    [InlineData("node-lr-boost=2 node-stall-threshold=-0.1", "node-stall-threshold")]
    public void BadValuesNameTheirKey(string assignments, string key)
    {
        var error = Assert.Throws<RunConfigurationException>(() => Parse(assignments));

        Assert.Equal(key, error.Key);
    }
}
