using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>
/// FedYogi (Reddi et al., 2021), as Flower defines it: Δ = average − global, m = β₁·m + (1 − β₁)·Δ,
/// v = v − (1 − β₂)·Δ²·sign(v − Δ²), new global = global + η·m / (√v + τ). m and v start at zero and are kept per run on disk.
/// </summary>
public sealed class FedYogi(double eta, double beta1, double beta2, double tau) : StrategyBase
{
    public static FedYogi FromConfig(RunConfiguration config) => new(
        FedOptOptions.Eta(config, 1e-2), FedOptOptions.Beta1(config, 0.9), FedOptOptions.Beta2(config, 0.99), FedOptOptions.Tau(config, 1e-3));

    public override string Name => "fedyogi";

    public override IUpdateAggregator BeginAggregateTrain(int round, RunConfiguration config, string globalModelPath, string? stateDirectory = null) =>
        new ServerOptimizerAggregator(round, globalModelPath, stateDirectory, Name, new Yogi(eta, beta1, beta2, tau), config.WireDType);

    public override AggregationMemory EstimateMemory(int updateCount, long parameterCount) =>
        new(4 * parameterCount + FedAvgM.OptimizerChunkBytes(2), 2 * 4 * parameterCount);

    public override string Summary() =>
        $"FedYogi (server-learning-rate={Format(eta)}, beta-1={Format(beta1)}, beta-2={Format(beta2)}, tau={Format(tau)}; moments kept per run on disk)";

    private sealed class Yogi(double eta, double beta1, double beta2, double tau) : ServerOptimizer
    {
        public override IReadOnlyList<string> StateSlots { get; } = ["m", "v"];

        public override void Step(OptimizerChunk chunk)
        {
            var m = chunk.State(0);
            var v = chunk.State(1);
            var global = chunk.Global;
            var average = chunk.Average;
            var output = chunk.NewGlobal;
            for (var i = 0; i < chunk.Length; i++)
            {
                double delta = average[i] - global[i];
                var squared = delta * delta;
                var mi = beta1 * m[i] + (1 - beta1) * delta;
                var vi = v[i] - (1 - beta2) * squared * Math.Sign(v[i] - squared);
                m[i] = (float)mi;
                v[i] = (float)vi;
                output[i] = (float)(global[i] + eta * mi / (Math.Sqrt(vi) + tau));
            }
        }
    }
}
