using Zk0.Cli.Compare.Statistics;
using Zk0.Policy.Evaluation;

namespace Zk0.Cli.Compare;

/// <summary>Both models' scores for one seed: on the nodes' own tasks and, when the run has any, on the unseen tasks.</summary>
public sealed record SeedScores(ModelScore Federated, ModelScore Central, ModelScore? FederatedUnseen, ModelScore? CentralUnseen);

/// <summary>
/// The Evaluator's metric names (contract: <c>loss</c>, <c>action_error</c>, <c>success_rate</c>) read from
/// <see cref="ModelScore"/>s and summarized over the seeds; a metric the scorer does not report for every seed is left out.
/// </summary>
public static class ScoreMetrics
{
    public const string Loss = EvaluationMetricNames.Loss;
    public const string ActionError = EvaluationMetricNames.ActionError;
    public const string SuccessRate = EvaluationMetricNames.SuccessRate;

    public static IReadOnlyList<string> Names { get; } = [Loss, ActionError, SuccessRate];

    /// <summary>The values a metric can take: the errors are non-negative, a success rate is a fraction.</summary>
    public static (double Min, double Max) Range(string metric) => metric == SuccessRate ? (0, 1) : (0, double.PositiveInfinity);

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

    /// <summary>Rows for every dataset of the nodes' tasks, their overall, then every unseen dataset and their overall.</summary>
    public static List<ComparisonRow> Rows(IReadOnlyList<string> datasets, IReadOnlyList<string> unseenDatasets, IReadOnlyList<SeedScores> seeds)
    {
        var rows = datasets.Select(uri => DatasetRow(uri, unseen: false, seeds.Select(s => (s.Federated, s.Central)).ToList())).ToList();
        rows.Add(Row(ComparisonReport.OverallRow, seeds[0].Federated.Examples, false,
            seeds.Select(s => Overall(s.Federated)).ToList(), seeds.Select(s => Overall(s.Central)).ToList()));
        if (unseenDatasets.Count == 0) return rows;

        var unseen = seeds.Select(s => (Federated: s.FederatedUnseen!, Central: s.CentralUnseen!)).ToList();
        rows.AddRange(unseenDatasets.Select(uri => DatasetRow(uri, unseen: true, unseen)));
        rows.Add(Row(ComparisonReport.UnseenOverallRow, unseen[0].Federated.Examples, true,
            unseen.Select(s => Overall(s.Federated)).ToList(), unseen.Select(s => Overall(s.Central)).ToList()));
        return rows;
    }

    private static ComparisonRow DatasetRow(string uri, bool unseen, IReadOnlyList<(ModelScore Federated, ModelScore Central)> seeds) =>
        Row(uri, seeds[0].Federated.Datasets[uri].Examples, unseen,
            seeds.Select(s => Dataset(s.Federated.Datasets[uri])).ToList(), seeds.Select(s => Dataset(s.Central.Datasets[uri])).ToList());

    private static ComparisonRow Row(string name, long examples, bool unseen, IReadOnlyList<Dictionary<string, double?>> federated,
        IReadOnlyList<Dictionary<string, double?>> central) =>
        new(name, examples, unseen, Names.ToDictionary(metric => metric, metric => new MetricComparison(Summary(federated, metric), Summary(central, metric))));

    private static SeedSummary? Summary(IReadOnlyList<Dictionary<string, double?>> seeds, string metric)
    {
        var values = seeds.Select(s => s.GetValueOrDefault(metric)).ToList();
        return values.All(v => v is not null) ? SeedSummary.Of(values.Select(v => v!.Value).ToList()) : null;
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
