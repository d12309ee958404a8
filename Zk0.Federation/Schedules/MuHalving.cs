namespace Zk0.Federation.Schedules;

/// <summary>μ halves every K rounds: rounds 1..K use μ₀, K+1..2K use μ₀/2, and so on. The learning rate is left alone.</summary>
public sealed class MuHalving(int everyRounds) : IHyperparameterAdaptation
{
    public AdaptedValues Adapt(int round, double baseLearningRate, double baseProximalMu, IReadOnlyList<double> evaluationLosses)
    {
        var halvings = (round - 1) / everyRounds;
        return new(baseLearningRate, baseProximalMu / Math.Pow(2, halvings), halvings == 0 ? 1.0 : 0.5, $"mu halved {halvings} time(s)");
    }

    public string Summary() => $"mu-halving (mu-halving-rounds={everyRounds})";
}
