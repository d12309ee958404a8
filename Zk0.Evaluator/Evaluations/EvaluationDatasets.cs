namespace Zk0.Evaluator.Evaluations;

/// <summary>Which held-out datasets score a run's models: the run's own <c>eval-datasets</c>, else the Evaluator's; likewise the unseen tasks.</summary>
public static class EvaluationDatasets
{
    public const string RunConfigKey = Zk0.Policy.Abstractions.RunSettings.EvalDatasetsKey;

    public static IReadOnlyList<string> For(IReadOnlyDictionary<string, string> runConfig, EvaluatorOptions options) =>
        runConfig.TryGetValue(RunConfigKey, out var list) && !string.IsNullOrWhiteSpace(list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : options.Datasets;

    /// <summary>The unseen tasks: the run's <c>eval-unseen-datasets</c>, else the Evaluator's, less any dataset also in <paramref name="seen"/>.</summary>
    public static IReadOnlyList<string> UnseenFor(IReadOnlyDictionary<string, string> runConfig, EvaluatorOptions options, IReadOnlyList<string> seen) =>
        Zk0.Policy.Evaluation.UnseenTasks.For(runConfig, options.UnseenDatasets, seen);
}
