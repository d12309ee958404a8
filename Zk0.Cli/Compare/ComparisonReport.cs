namespace Zk0.Cli.Compare;

/// <summary>One metric of both models (null where the scorer does not report it).</summary>
public sealed record MetricPair(double? Federated, double? Central);

/// <summary>One evaluation dataset, or the example-weighted overall row.</summary>
public sealed record ComparisonRow(string Name, long Examples, IReadOnlyDictionary<string, MetricPair> Metrics);

/// <summary>Federated final model against the central baseline: scores per dataset and overall, steps and wall time.</summary>
public sealed record ComparisonReport(
    string RunId,
    string PolicyType,
    long EvaluationSeed,
    int FederatedSteps,
    int CentralSteps,
    TimeSpan FederatedWallTime,
    TimeSpan CentralWallTime,
    string CentralSchedule,
    IReadOnlyList<string> MetricNames,
    IReadOnlyList<ComparisonRow> Rows)
{
    public const string OverallRow = "overall";
}
