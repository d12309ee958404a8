namespace Zk0.Policy.Abstractions;

/// <summary>
/// How an evaluation runs. <c>Seed</c> fixes every random draw (e.g. flow-matching noise and time), so the
/// same model on the same batches always gives the same loss and rounds stay comparable.
/// </summary>
public sealed record PolicyEvaluationOptions(long Seed = 0);

/// <summary>
/// Loss averaged per sample over all evaluated batches; <c>ActionError</c> is the mean absolute error of the sampled
/// action chunk against the recorded one (normalized units, padded steps left out), NaN for policies that do not sample.
/// </summary>
public sealed record PolicyEvaluationResult(double Loss, long Examples, int Batches, double ActionError = double.NaN);
