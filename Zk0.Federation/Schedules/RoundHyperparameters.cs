namespace Zk0.Federation.Schedules;

/// <summary>What the nodes train with in one round, and why the adaptation chose it.</summary>
public sealed record RoundHyperparameters(double LearningRate, double ProximalMu, double AdaptationFactor, string Reason);
