using Zk0.Policy.Evaluation;

namespace Zk0.Evaluator.Evaluations;

/// <summary>One committed global model's server-side evaluation.</summary>
public sealed record RoundEvaluation(string RunId, int Round, string ModelHash, double Loss, long Examples,
    IReadOnlyDictionary<string, DatasetScore> Datasets, double Seconds, DateTimeOffset EvaluatedAt);
