using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>
/// FedAdagrad (Reddi et al., 2021), as Flower defines it (β₁ = 0, so m = Δ): Δ = average − global, v = v + Δ²,
/// new global = global + η·Δ / (√v + τ), η scaled by the round's learning-rate schedule. v starts at zero and is kept per run on disk.
/// </summary>
public sealed class FedAdagrad(double eta, double tau) : StrategyBase, IAdaptiveServerStep
{
    public double ServerLearningRate => eta;

    public static FedAdagrad FromConfig(RunConfiguration config) => new(FedOptOptions.Eta(config, 1e-1), FedOptOptions.Tau(config, 1e-9));

    public override string Name => "fedadagrad";

    public override IUpdateAggregator BeginAggregateTrain(int round, RunConfiguration config, string globalModelPath, string? stateDirectory = null, double learningRateScale = 1) =>
        new ServerOptimizerAggregator(round, globalModelPath, stateDirectory, Name, new Adagrad(eta * learningRateScale, tau), config.WireDType);

    public override AggregationMemory EstimateMemory(int updateCount, long parameterCount) =>
        new(4 * parameterCount + FedAvgM.OptimizerChunkBytes(1), 4 * parameterCount);

    public override string Summary() => $"FedAdagrad (server-learning-rate={Format(eta)}, tau={Format(tau)}; accumulator kept per run on disk)";

    private sealed class Adagrad(double eta, double tau) : ServerOptimizer
    {
        public override IReadOnlyList<string> StateSlots { get; } = ["v"];

        public override void Step(OptimizerChunk chunk)
        {
            var v = chunk.State(0);
            var global = chunk.Global;
            var average = chunk.Average;
            var output = chunk.NewGlobal;
            for (var i = 0; i < chunk.Length; i++)
            {
                double delta = average[i] - global[i];
                var vi = v[i] + delta * delta;
                v[i] = (float)vi;
                output[i] = (float)(global[i] + eta * delta / (Math.Sqrt(vi) + tau));
            }
        }
    }
}
