using Zk0.Charts;
using ScottPlot;
using Zk0.Cli.Compare.Statistics;

namespace Zk0.Cli.Compare;

/// <summary>
/// <c>compare.png</c>: one panel per metric, bars grouped by dataset (the nodes' tasks, overall, then the unseen tasks),
/// federated next to central; a bar is the mean over the seeds with its 95 % confidence interval as error bar.
/// </summary>
public static class ComparisonChart
{
    private static readonly Color FederatedColor = Colors.SteelBlue;
    private static readonly Color CentralColor = Colors.DarkOrange;

    public static void Save(ComparisonReport report, string path)
    {
        var metrics = report.MetricNames.Where(m => report.Rows.Any(r => r.Metrics.GetValueOrDefault(m) is { Federated: not null } or { Central: not null })).ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(Math.Max(1, metrics.Count));
        for (var i = 0; i < metrics.Count; i++) Draw(multiplot.GetPlot(i), report, metrics[i]);
        multiplot.SavePng(path, width: Math.Max(640, 160 * report.Rows.Count), height: 320 * Math.Max(1, metrics.Count));
    }

    private static void Draw(Plot plot, ComparisonReport report, string metric)
    {
        ChartFonts.Apply(plot);
        var bars = new List<Bar>();
        var whiskers = new List<(double Position, double Mean, double Low, double High)>();
        var (min, max) = ScoreMetrics.Range(metric);
        for (var group = 0; group < report.Rows.Count; group++)
        {
            var pair = report.Rows[group].Metrics.GetValueOrDefault(metric);
            Add(pair?.Federated, group * 3 + 0.5, FederatedColor);
            Add(pair?.Central, group * 3 + 1.5, CentralColor);
        }
        plot.Add.Bars(bars);
        if (whiskers.Count > 0)
        {
            plot.Add.Plottable(new ScottPlot.Plottables.ErrorBar(
                [.. whiskers.Select(w => w.Position)], [.. whiskers.Select(w => w.Mean)], null, null,
                [.. whiskers.Select(w => w.High - w.Mean)], [.. whiskers.Select(w => w.Mean - w.Low)]) { LineColor = Colors.Black });
        }
        // Unseen tasks' labels take two lines, so a long task name and its "(unseen)" do not run into the next group.
        plot.Axes.Bottom.SetTicks(
            report.Rows.Select((_, group) => group * 3 + 1.0).ToArray(),
            report.Rows.Select(r => r.Unseen && !ComparisonReport.IsOverall(r) ? $"{ShortName(r.Name)}\n(unseen)" : ShortName(r.Name)).ToArray());
        plot.Axes.Margins(bottom: 0, top: 0.3); // headroom so the legend never covers a bar
        if (metric == ScoreMetrics.SuccessRate) plot.Axes.SetLimitsY(0, 1.3);
        plot.Title(report.Seeds.Count > 1
            ? $"{metric}: federated vs central, mean and 95 % CI over {report.Seeds.Count} seeds"
            : $"{metric}: federated vs central (run {report.RunIds})");
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "federated", FillColor = FederatedColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"central ({report.CentralSteps} steps)", FillColor = CentralColor });
        plot.ShowLegend(Alignment.UpperRight);

        void Add(SeedSummary? summary, double position, Color color)
        {
            if (summary is null) return;
            bars.Add(new Bar { Position = position, Value = summary.Mean, FillColor = color });
            if (summary.Interval95Within(min, max) is { } interval) whiskers.Add((position, summary.Mean, interval.Low, interval.High));
        }
    }

    /// <summary>The last path segment of a dataset URI without its query (synth:TASK?episodes=..), so tick labels stay readable.</summary>
    public static string ShortName(string name)
    {
        var query = name.IndexOf('?');
        var trimmed = (query >= 0 ? name[..query] : name).TrimEnd('/', '\\');
        var cut = trimmed.LastIndexOfAny(['/', '\\', ':']);
        return cut >= 0 && cut < trimmed.Length - 1 ? trimmed[(cut + 1)..] : trimmed;
    }
}
