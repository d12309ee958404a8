using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>
/// FedAdam (Reddi et al., 2021), as Flower defines it: Δ = average − global, m = β₁·m + (1 − β₁)·Δ,
/// v = β₂·v + (1 − β₂)·Δ², new global = global + η_t·m / (√v + τ) with Flower's bias-corrected
/// η_t = η·√(1 − β₂^(t+1)) / (1 − β₁^(t+1)) for server round t. m and v start at zero and are kept per run on disk.
/// </summary>
public sealed class FedAdam(double eta, double beta1, double beta2, double tau) : StrategyBase
{
    public static FedAdam FromConfig(RunConfiguration config) => new(
        FedOptOptions.Eta(config, 1e-1), FedOptOptions.Beta1(config, 0.9), FedOptOptions.Beta2(config, 0.99), FedOptOptions.Tau(config, 1e-9));

    public override string Name => "fedadam";

    public override IUpdateAggregator BeginAggregateTrain(int round, RunConfiguration config, string globalModelPath, string? stateDirectory = null) =>
        new ServerOptimizerAggregator(round, globalModelPath, stateDirectory, Name, new Adam(eta, beta1, beta2, tau), config.WireDType);

    public override AggregationMemory EstimateMemory(int updateCount, long parameterCount) =>
        new(4 * parameterCount + FedAvgM.OptimizerChunkBytes(2), 2 * 4 * parameterCount);

    public override string Summary() =>
        $"FedAdam (server-learning-rate={Format(eta)}, beta-1={Format(beta1)}, beta-2={Format(beta2)}, tau={Format(tau)}; moments kept per run on disk)";

    private sealed class Adam(double eta, double beta1, double beta2, double tau) : ServerOptimizer
    {
        public override IReadOnlyList<string> StateSlots { get; } = ["m", "v"];

        public override void Step(OptimizerChunk chunk)
        {
            var etaNorm = eta * Math.Sqrt(1 - Math.Pow(beta2, chunk.Round + 1.0)) / (1 - Math.Pow(beta1, chunk.Round + 1.0));
            var m = chunk.State(0);
            var v = chunk.State(1);
            var global = chunk.Global;
            var average = chunk.Average;
            var output = chunk.NewGlobal;
            for (var i = 0; i < chunk.Length; i++)
            {
                double delta = average[i] - global[i];
                var mi = beta1 * m[i] + (1 - beta1) * delta;
                var vi = beta2 * v[i] + (1 - beta2) * delta * delta;
                m[i] = (float)mi;
                v[i] = (float)vi;
                output[i] = (float)(global[i] + etaNorm * mi / (Math.Sqrt(vi) + tau));
            }
        }
    }
}
