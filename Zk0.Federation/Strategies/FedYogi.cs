using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>
/// FedYogi: v = v − (1 − β₂)·Δ²·sign(v − Δ²) and a constant step η; the rest is <see cref="AdaptiveMomentStrategy"/>.
/// </summary>
public sealed class FedYogi(double eta, double beta1, double beta2, double tau) : AdaptiveMomentStrategy(eta, beta1, beta2, tau)
{
    public static FedYogi FromConfig(RunConfiguration config) => new(
        FedOptOptions.Eta(config, 1e-2), FedOptOptions.Beta1(config, 0.9), FedOptOptions.Beta2(config, 0.99), FedOptOptions.Tau(config, 1e-3));

    public override string Name => "fedyogi";

    protected override string DisplayName => "FedYogi";

    protected override double StepSize(int round) => ServerLearningRate;

    protected override double NextSecondMoment(double v, double squaredDelta) => v - (1 - Beta2) * squaredDelta * Math.Sign(v - squaredDelta);
}
