using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>
/// Multi-Krum: Krum's scores, then the example-weighted mean of the num-nodes-to-keep best updates
/// (n − num-malicious-nodes when not set).
/// </summary>
public sealed class MultiKrum(int numMalicious, int numToKeep) : StrategyBase
{
    public static MultiKrum FromConfig(RunConfiguration config) => new(
        ConfigValues.Int(config, StrategyConfigKeys.NumMaliciousNodes, 0, min: 0, max: 100_000),
        ConfigValues.Int(config, StrategyConfigKeys.NumNodesToKeep, 0, min: 0, max: 100_000));

    public override string Name => "multikrum";

    public override IUpdateAggregator BeginAggregateTrain(int round, RunConfiguration config, string globalModelPath, string? stateDirectory = null, double learningRateScale = 1) =>
        new KrumAggregator(globalModelPath, numMalicious, n => numToKeep > 0 ? numToKeep : n - numMalicious, config.WireDType);

    public override AggregationMemory EstimateMemory(int updateCount, long parameterCount) =>
        StoredUpdatesAggregator.Estimate(updateCount, 8L * updateCount * updateCount);

    public override string Summary() =>
        $"MultiKrum (num-malicious-nodes={numMalicious}, num-nodes-to-keep={(numToKeep > 0 ? numToKeep.ToString(System.Globalization.CultureInfo.InvariantCulture) : "n - f")}; updates read from disk chunk by chunk)";
}
