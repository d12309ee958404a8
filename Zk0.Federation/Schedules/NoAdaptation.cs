namespace Zk0.Federation.Schedules;

/// <summary>The configured values in every round.</summary>
public sealed class NoAdaptation : IHyperparameterAdaptation
{
    public AdaptedValues Adapt(int round, double baseLearningRate, double baseProximalMu, IReadOnlyList<double> evaluationLosses) =>
        new(baseLearningRate, baseProximalMu, 1.0, "fixed");

    public string Summary() => "none";
}
