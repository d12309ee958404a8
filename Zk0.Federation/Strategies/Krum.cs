using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>
/// Krum (Blanchard et al., 2017): the new model is the single update closest to its n − f − 2 nearest neighbours,
/// where f is num-malicious-nodes; robust to up to f Byzantine nodes when n &gt; 2f + 2.
/// </summary>
public sealed class Krum(int numMalicious) : StrategyBase
{
    public static Krum FromConfig(RunConfiguration config) =>
        new(ConfigValues.Int(config, StrategyConfigKeys.NumMaliciousNodes, 0, min: 0, max: 100_000));

    public override string Name => "krum";

    public override IUpdateAggregator BeginAggregateTrain(int round, RunConfiguration config, string globalModelPath, string? stateDirectory = null, double learningRateScale = 1) =>
        new KrumAggregator(globalModelPath, numMalicious, _ => 1, config.WireDType);

    /// <summary>Stored updates plus the n×n distance matrix.</summary>
    public override AggregationMemory EstimateMemory(int updateCount, long parameterCount) =>
        StoredUpdatesAggregator.Estimate(updateCount, 8L * updateCount * updateCount);

    public override string Summary() => $"Krum (num-malicious-nodes={numMalicious}; updates read from disk chunk by chunk, scored by squared distances)";
}
