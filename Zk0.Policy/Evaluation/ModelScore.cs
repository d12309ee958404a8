namespace Zk0.Policy.Evaluation;

/// <summary>
/// A global model's flow-matching loss on one held-out dataset, the mean absolute error of its sampled action chunks
/// (null when the policy does not sample actions) and its closed-loop success rate in the simulator (0..1; null when the
/// dataset has no simulator or closed-loop scoring is off).
/// </summary>
public sealed record DatasetScore(double Loss, long Examples, double? ActionError = null, double? SuccessRate = null);

/// <summary>
/// Loss and action error per held-out dataset and overall (weighted by examples); the overall success rate is the mean
/// over the datasets that have one.
/// </summary>
public sealed record ModelScore(double Loss, long Examples, IReadOnlyDictionary<string, DatasetScore> Datasets, double? ActionError = null, double? SuccessRate = null);
