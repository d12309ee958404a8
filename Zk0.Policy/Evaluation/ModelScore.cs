namespace Zk0.Policy.Evaluation;

/// <summary>
/// A global model's flow-matching loss on one held-out dataset and the mean absolute error of its sampled action chunks
/// (null when the policy does not sample actions).
/// </summary>
public sealed record DatasetScore(double Loss, long Examples, double? ActionError = null);

/// <summary>Loss and action error per held-out dataset and overall (weighted by examples).</summary>
public sealed record ModelScore(double Loss, long Examples, IReadOnlyDictionary<string, DatasetScore> Datasets, double? ActionError = null);
