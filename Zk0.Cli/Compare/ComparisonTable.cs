using System.Globalization;
using Zk0.Cli.Compare.Statistics;
using Zk0.Cli.Tables;

namespace Zk0.Cli.Compare;

/// <summary>
/// The scores as text tables (one row per dataset and metric), for the console and compare.md: the nodes' own tasks,
/// then the unseen tasks. A cell is the mean over the seeds ± the 95 % half-width (just the value with one seed).
/// </summary>
public static class ComparisonTable
{
    public const string Missing = "n/a";
    public static IReadOnlyList<string> Headers { get; } = ["dataset", "examples", "metric", "federated", "central", "federated/central"];

    /// <summary>The table of the nodes' tasks (<paramref name="unseen"/> false) or of the unseen tasks; null when it has no rows.</summary>
    public static string? Render(ComparisonReport report, bool unseen)
    {
        var rows = report.Rows.Where(r => r.Unseen == unseen).ToList();
        if (rows.Count == 0) return null;
        var cells = rows.SelectMany(row => report.MetricNames
                .Select(metric => (Metric: metric, Values: row.Metrics.GetValueOrDefault(metric)))
                .Where(m => m.Values is { Federated: not null } or { Central: not null })
                .Select(m => (IReadOnlyList<string>)[
                    ComparisonChart.ShortName(row.Name), row.Examples.ToString(CultureInfo.InvariantCulture), m.Metric,
                    Format(m.Values!.Federated), Format(m.Values.Central), Format(m.Values.Ratio)]))
            .ToList();
        return TextTable.Format(Headers, cells);
    }

    public static string Format(SeedSummary? summary) => summary switch
    {
        null => Missing,
        { HalfWidth95: double h } => $"{Number(summary.Mean)} ± {Number(h)}",
        _ => Number(summary.Mean),
    };

    public static string Format(MeanRatio? ratio) => ratio switch
    {
        null => Missing,
        { HalfWidth95: double h } => $"{Number(ratio.Value)} ± {Number(h)}",
        _ => Number(ratio.Value),
    };

    public static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
