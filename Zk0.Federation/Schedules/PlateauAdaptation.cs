namespace Zk0.Federation.Schedules;

/// <summary>
/// Reduce-on-plateau over the server evaluation losses, as torch's ReduceLROnPlateau (mode min, relative threshold,
/// no cooldown): a loss below best·(1 − threshold) is the new best; otherwise the round counts as bad, and after more
/// than <c>patience</c> bad evaluations in a row the learning rate is multiplied by <c>factor</c> (not below the floor)
/// and the count starts again. μ is left alone.
/// </summary>
public sealed class PlateauAdaptation(PlateauOptions options) : IHyperparameterAdaptation
{
    public PlateauOptions Options => options;

    public AdaptedValues Adapt(int round, double baseLearningRate, double baseProximalMu, IReadOnlyList<double> evaluationLosses)
    {
        var floor = Math.Min(options.MinLearningRate, baseLearningRate);
        var learningRate = baseLearningRate;
        var best = double.PositiveInfinity;
        var bad = 0;
        var reductions = 0;
        var lastFactor = 1.0;
        foreach (var loss in evaluationLosses)
        {
            lastFactor = 1.0;
            if (loss < best * (1 - options.Threshold))
            {
                best = loss;
                bad = 0;
                continue;
            }
            if (++bad <= options.Patience) continue;
            learningRate = Math.Max(learningRate * options.Factor, floor);
            lastFactor = options.Factor;
            reductions++;
            bad = 0;
        }
        return new(learningRate, baseProximalMu, lastFactor, $"plateau: {reductions} reduction(s), {bad} evaluation(s) without improvement");
    }

    public string Summary() =>
        $"plateau (plateau-patience={options.Patience}, plateau-threshold={options.Threshold:R}, plateau-factor={options.Factor:R}, min-learning-rate={options.MinLearningRate:R})";
}

public sealed record PlateauOptions(int Patience, double Threshold, double Factor, double MinLearningRate);
