using Zk0.Cli.Compare.Statistics;

namespace Zk0.Cli.Compare;

/// <summary>One metric of both models over the seeds (null where the scorer does not report it for every seed).</summary>
public sealed record MetricComparison(SeedSummary? Federated, SeedSummary? Central)
{
    public MeanRatio? Ratio => MeanRatio.Of(Federated, Central);
}

/// <summary>One evaluation dataset, or an example-weighted overall row; <paramref name="Unseen"/>: a task no node trains on.</summary>
public sealed record ComparisonRow(string Name, long Examples, bool Unseen, IReadOnlyDictionary<string, MetricComparison> Metrics);

/// <summary>One seed of the comparison: the federated run of that seed and the central training with the same seed.</summary>
public sealed record SeedRun(string RunId, long Seed, int FederatedSteps, int CentralSteps, TimeSpan FederatedWallTime, TimeSpan CentralWallTime);

/// <summary>
/// Federated final models against central baselines over several seeds: per dataset (the nodes' own tasks, then the
/// unseen ones) and overall, mean and 95 % confidence interval of every metric and the ratio federated/central.
/// </summary>
public sealed record ComparisonReport(
    string PolicyType,
    long EvaluationSeed,
    int EvalEpisodes,
    IReadOnlyList<SeedRun> Seeds,
    string CentralSchedule,
    IReadOnlyList<string> MetricNames,
    IReadOnlyList<ComparisonRow> Rows)
{
    /// <summary>The nodes' own tasks (held-out episodes), example-weighted, as the Evaluator's overall <c>loss</c>.</summary>
    public const string OverallRow = "overall";

    /// <summary>The tasks no node trains on, example-weighted.</summary>
    public const string UnseenOverallRow = "overall unseen";

    public string RunIds => string.Join(", ", Seeds.Select(s => s.RunId));
    public int FederatedSteps => Seeds[0].FederatedSteps;
    public int CentralSteps => Seeds[0].CentralSteps;
    public TimeSpan FederatedWallTime => TimeSpan.FromTicks((long)Seeds.Average(s => s.FederatedWallTime.Ticks));
    public TimeSpan CentralWallTime => TimeSpan.FromTicks((long)Seeds.Average(s => s.CentralWallTime.Ticks));

    public static bool IsOverall(ComparisonRow row) => row.Name is OverallRow or UnseenOverallRow;
}
