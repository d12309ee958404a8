using Zk0.Federation.Runs;
using Zk0.Federation.Safetensors;

namespace Zk0.Federation.Strategies;

/// <summary>
/// FedTrimmedAvg (Yin et al., 2018), as Flower defines it: per coordinate, sort the n update values, cut
/// ⌊trimmed-beta·n⌋ from each end and average the rest, unweighted. trimmed-beta is below 0.5, so a value always remains.
/// </summary>
public sealed class FedTrimmedAvg(double beta) : StrategyBase
{
    public const double DefaultBeta = 0.2;

    public static FedTrimmedAvg FromConfig(RunConfiguration config) =>
        new(ConfigValues.Double(config, StrategyConfigKeys.TrimmedBeta, DefaultBeta, min: 0, max: 0.5, maxExclusive: true));

    public override string Name => "fedtrimmedavg";

    public override IUpdateAggregator BeginAggregateTrain(int round, RunConfiguration config, string globalModelPath, string? stateDirectory = null, double learningRateScale = 1) =>
        new TrimmedMeanAggregator(globalModelPath, beta, config.WireDType);

    public override AggregationMemory EstimateMemory(int updateCount, long parameterCount) => StoredUpdatesAggregator.Estimate(updateCount);

    public override string Summary() => $"FedTrimmedAvg (trimmed-beta={Format(beta)}; coordinate-wise trimmed mean, updates read from disk chunk by chunk)";

    private sealed class TrimmedMeanAggregator(string globalModelPath, double beta, SafetensorsDType? wireDType) : StoredUpdatesAggregator(globalModelPath, wireDType)
    {
        protected override void Combine(float[][] values, Span<float> destination)
        {
            var n = values.Length;
            var cut = (int)(beta * n);
            var scratch = new float[n];
            for (var i = 0; i < destination.Length; i++)
            {
                for (var u = 0; u < n; u++) scratch[u] = values[u][i];
                Array.Sort(scratch);
                double sum = 0;
                for (var k = cut; k < n - cut; k++) sum += scratch[k];
                destination[i] = (float)(sum / (n - 2 * cut));
            }
        }
    }
}
