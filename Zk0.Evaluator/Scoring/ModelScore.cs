namespace Zk0.Evaluator.Scoring;

/// <summary>A global model's loss on one held-out dataset.</summary>
public sealed record DatasetScore(double Loss, long Examples);

/// <summary>Loss per held-out dataset and overall (weighted by examples).</summary>
public sealed record ModelScore(double Loss, long Examples, IReadOnlyDictionary<string, DatasetScore> Datasets);
