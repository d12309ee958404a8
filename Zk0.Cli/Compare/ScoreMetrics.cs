using Zk0.Policy.Evaluation;

namespace Zk0.Cli.Compare;

/// <summary>
/// The Evaluator's metric names (contract: <c>loss</c>, <c>action_error</c>, <c>success_rate</c>) read from a
/// <see cref="ModelScore"/>; a metric the scorer does not report for a row is left out.
/// </summary>
public static class ScoreMetrics
{
    public const string Loss = "loss";
    public const string ActionError = "action_error";
    public const string SuccessRate = "success_rate";

    public static IReadOnlyList<string> Names { get; } = [Loss, ActionError, SuccessRate];

    public static Dictionary<string, double?> Overall(ModelScore score) => new()
    {
        [Loss] = Finite(score.Loss),
        [ActionError] = score.ActionError,
        [SuccessRate] = score.SuccessRate,
    };

    public static Dictionary<string, double?> Dataset(DatasetScore score) => new()
    {
        [Loss] = Finite(score.Loss),
        [ActionError] = score.ActionError,
        [SuccessRate] = score.SuccessRate,
    };

    /// <summary>Rows for every evaluation dataset and overall, pairing the two scores metric by metric.</summary>
    public static List<ComparisonRow> Rows(IReadOnlyList<string> datasets, ModelScore federated, ModelScore central)
    {
        var rows = datasets
            .Select(uri => Row(uri, federated.Datasets[uri].Examples, Dataset(federated.Datasets[uri]), Dataset(central.Datasets[uri])))
            .ToList();
        rows.Add(Row(ComparisonReport.OverallRow, federated.Examples, Overall(federated), Overall(central)));
        return rows;
    }

    private static ComparisonRow Row(string name, long examples, Dictionary<string, double?> federated, Dictionary<string, double?> central) =>
        new(name, examples, federated.Keys.Union(central.Keys).ToDictionary(
            k => k, k => new MetricPair(federated.GetValueOrDefault(k), central.GetValueOrDefault(k))));

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
