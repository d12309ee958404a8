namespace Zk0.Federation.Schedules;

/// <summary>
/// zk0's joint μ/LR rule, applied once per new server evaluation: over the last three evaluations the relative
/// improvement is (L₁ − L₃)/max(L₁, 1e-8); below −divergence-threshold the run diverges and μ and LR are multiplied by
/// divergence-factor, below stall-threshold it has stalled and both are multiplied by stall-factor, otherwise they stay.
/// Each result is clamped to its bounds. Unlike zk0, the adapted values really reach the next round's nodes.
/// </summary>
public sealed class EvalTrendAdaptation(EvalTrendOptions options) : IHyperparameterAdaptation
{
    public const int Window = 3;

    public EvalTrendOptions Options => options;

    /// <summary>The factor one window of three evaluations calls for, and its name.</summary>
    public (double Factor, string Verdict) Judge(double first, double last)
    {
        var improvement = (first - last) / Math.Max(first, 1e-8);
        if (improvement < -options.DivergenceThreshold) return (options.DivergenceFactor, "divergence");
        if (improvement < options.StallThreshold) return (options.StallFactor, "stall");
        return (1.0, "progress");
    }

    public AdaptedValues Adapt(int round, double baseLearningRate, double baseProximalMu, IReadOnlyList<double> evaluationLosses)
    {
        var learningRate = baseLearningRate;
        var mu = baseProximalMu;
        var factor = 1.0;
        var reason = $"waiting for {Window} evaluations";
        for (var last = Window - 1; last < evaluationLosses.Count; last++)
        {
            (factor, reason) = Judge(evaluationLosses[last - Window + 1], evaluationLosses[last]);
            learningRate = Math.Clamp(learningRate * factor, options.LearningRateMin, options.LearningRateMax);
            mu = Math.Clamp(mu * factor, options.MuMin, options.MuMax);
        }
        return new(learningRate, mu, factor, reason);
    }

    public string Summary() =>
        $"eval-trend (stall < {options.StallThreshold:R} → ×{options.StallFactor:R}, divergence < −{options.DivergenceThreshold:R} → ×{options.DivergenceFactor:R}, " +
        $"LR in [{options.LearningRateMin:R}, {options.LearningRateMax:R}], mu in [{options.MuMin:R}, {options.MuMax:R}])";
}

public sealed record EvalTrendOptions(
    double StallThreshold, double DivergenceThreshold, double StallFactor, double DivergenceFactor,
    double LearningRateMin, double LearningRateMax, double MuMin, double MuMax);
