using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>
/// FedAdam: v = β₂·v + (1 − β₂)·Δ², with Flower's bias-corrected η_t = η·√(1 − β₂^(t+1)) / (1 − β₁^(t+1)) for server
/// round t; the rest is <see cref="AdaptiveMomentStrategy"/>.
/// </summary>
public sealed class FedAdam(double eta, double beta1, double beta2, double tau) : AdaptiveMomentStrategy(eta, beta1, beta2, tau)
{
    public static FedAdam FromConfig(RunConfiguration config) => new(
        FedOptOptions.Eta(config, 1e-1), FedOptOptions.Beta1(config, 0.9), FedOptOptions.Beta2(config, 0.99), FedOptOptions.Tau(config, 1e-9));

    public override string Name => "fedadam";

    protected override string DisplayName => "FedAdam";

    protected override double StepSize(int round) =>
        ServerLearningRate * Math.Sqrt(1 - Math.Pow(Beta2, round + 1.0)) / (1 - Math.Pow(Beta1, round + 1.0));

    protected override double NextSecondMoment(double v, double squaredDelta) => Beta2 * v + (1 - Beta2) * squaredDelta;
}
