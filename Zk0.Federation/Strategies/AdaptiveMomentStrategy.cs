using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>
/// The server step FedAdam and FedYogi share (Reddi et al., 2021, as Flower defines it): Δ = average − global,
/// m = β₁·m + (1 − β₁)·Δ, new global = global + η_t·m / (√v + τ). They differ only in how the second moment v
/// moves and in the step size η_t, which the round's learning-rate schedule scales (the normalized step would
/// otherwise undo the decay the nodes' updates carry). m and v start at zero and are kept per run on disk.
/// </summary>
public abstract class AdaptiveMomentStrategy(double eta, double beta1, double beta2, double tau) : StrategyBase, IAdaptiveServerStep
{
    /// <summary>η, the server's step size before bias correction and the schedule's scale.</summary>
    public double ServerLearningRate => eta;
    protected double Beta1 => beta1;
    protected double Beta2 => beta2;
    protected double Tau => tau;

    /// <summary>The name in summaries, e.g. <c>FedAdam</c>.</summary>
    protected abstract string DisplayName { get; }

    /// <summary>η_t for a server round.</summary>
    protected abstract double StepSize(int round);

    /// <summary>The new second moment from the old one and Δ².</summary>
    protected abstract double NextSecondMoment(double v, double squaredDelta);

    public override IUpdateAggregator BeginAggregateTrain(int round, RunConfiguration config, string globalModelPath, string? stateDirectory = null, double learningRateScale = 1) =>
        new ServerOptimizerAggregator(round, globalModelPath, stateDirectory, Name, new MomentOptimizer(this, learningRateScale), config.WireDType);

    public override AggregationMemory EstimateMemory(int updateCount, long parameterCount) =>
        new(4 * parameterCount + FedAvgM.OptimizerChunkBytes(2), 2 * 4 * parameterCount);

    public override string Summary() =>
        $"{DisplayName} (server-learning-rate={Format(ServerLearningRate)}, beta-1={Format(Beta1)}, beta-2={Format(Beta2)}, tau={Format(Tau)}; moments kept per run on disk)";

    private sealed class MomentOptimizer(AdaptiveMomentStrategy strategy, double learningRateScale) : ServerOptimizer
    {
        public override IReadOnlyList<string> StateSlots { get; } = ["m", "v"];

        public override void Step(OptimizerChunk chunk)
        {
            var (beta1, tau) = (strategy.Beta1, strategy.Tau);
            var stepSize = strategy.StepSize(chunk.Round) * learningRateScale;
            var m = chunk.State(0);
            var v = chunk.State(1);
            var global = chunk.Global;
            var average = chunk.Average;
            var output = chunk.NewGlobal;
            for (var i = 0; i < chunk.Length; i++)
            {
                double delta = average[i] - global[i];
                var mi = beta1 * m[i] + (1 - beta1) * delta;
                var vi = strategy.NextSecondMoment(v[i], delta * delta);
                m[i] = (float)mi;
                v[i] = (float)vi;
                output[i] = (float)(global[i] + stepSize * mi / (Math.Sqrt(vi) + tau));
            }
        }
    }
}
