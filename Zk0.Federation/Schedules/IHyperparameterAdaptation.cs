namespace Zk0.Federation.Schedules;

/// <summary>
/// Server-side adaptation of the base learning rate and μ. A pure function of the round and the server evaluation
/// losses recorded before it (in round order), so a restarted SuperLink computes the same values from stored state.
/// </summary>
public interface IHyperparameterAdaptation
{
    AdaptedValues Adapt(int round, double baseLearningRate, double baseProximalMu, IReadOnlyList<double> evaluationLosses);

    string Summary();
}

/// <summary>The adapted base values, the factor of the last adjustment and why.</summary>
public sealed record AdaptedValues(double LearningRate, double ProximalMu, double LastFactor, string Reason);
