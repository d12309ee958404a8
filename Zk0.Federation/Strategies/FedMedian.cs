using Zk0.Federation.Runs;
using Zk0.Federation.Safetensors;

namespace Zk0.Federation.Strategies;

/// <summary>
/// FedMedian (Yin et al., 2018): every parameter of the new model is the coordinate-wise median of the updates
/// (the mean of the two middle values for an even count), unweighted, as Flower does it. Robust to a minority of
/// outlying nodes; needs all updates at once.
/// </summary>
public sealed class FedMedian : StrategyBase
{
    public override string Name => "fedmedian";

    public override IUpdateAggregator BeginAggregateTrain(int round, RunConfiguration config, string globalModelPath, string? stateDirectory = null, double learningRateScale = 1) =>
        new MedianAggregator(globalModelPath, config.WireDType);

    public override AggregationMemory EstimateMemory(int updateCount, long parameterCount) => StoredUpdatesAggregator.Estimate(updateCount);

    public override string Summary() => "FedMedian (coordinate-wise median of the updates, read from disk chunk by chunk when the round closes)";

    private sealed class MedianAggregator(string globalModelPath, SafetensorsDType? wireDType) : StoredUpdatesAggregator(globalModelPath, wireDType)
    {
        protected override void Combine(float[][] values, Span<float> destination)
        {
            var scratch = new float[values.Length];
            for (var i = 0; i < destination.Length; i++)
            {
                for (var u = 0; u < values.Length; u++) scratch[u] = values[u][i];
                Array.Sort(scratch);
                var n = scratch.Length;
                destination[i] = n % 2 == 1 ? scratch[n / 2] : (float)(((double)scratch[n / 2 - 1] + scratch[n / 2]) / 2);
            }
        }
    }
}
