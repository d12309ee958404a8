using Zk0.Charts;
using System.Text.Json;
using ScottPlot;
using Zk0.Policy.Checkpoints;

namespace Zk0.AppHost.Runs;

/// <summary>
/// Draws <c>charts/loss.png</c>, <c>charts/action_error.png</c> and <c>charts/success_rate.png</c> from a run's
/// metrics.json: one line per series of <see cref="RunChartSeries"/>, against the round. A metric the run does not
/// have gets no chart (and a stale chart of it is removed).
/// </summary>
public static class RunCharts
{
    public const string DirectoryName = "charts";
    private const int Width = 1400, Height = 600;

    private static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        [RunChartSeries.Loss] = "Loss (server evaluation and node training)",
        [RunChartSeries.ActionError] = "Action error (server evaluation)",
        [RunChartSeries.SuccessRate] = "Closed-loop success rate (server evaluation)",
    };

    /// <returns>The charts written.</returns>
    public static IReadOnlyList<string> Write(JsonElement metricsJson, string runDirectory)
    {
        var directory = Path.Combine(runDirectory, DirectoryName);
        var written = new List<string>();
        foreach (var metric in RunChartSeries.Metrics)
        {
            var path = Path.Combine(directory, metric + ".png");
            var lines = RunChartSeries.For(metricsJson, metric);
            if (lines.Count == 0)
            {
                if (File.Exists(path)) File.Delete(path);
                continue;
            }
            var png = Render(Titles[metric], metric, lines);
            AtomicFile.Write(path, stream => stream.Write(png));
            written.Add(path);
        }
        return written;
    }

    public static byte[] Render(string title, string metric, IReadOnlyList<ChartLine> lines)
    {
        var plot = new Plot();
        ChartFonts.Apply(plot);
        try
        {
            var palette = new ScottPlot.Palettes.Category10();
            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i];
                var scatter = plot.Add.Scatter(line.Points.Select(p => (double)p.Round).ToArray(), line.Points.Select(p => p.Value).ToArray());
                scatter.LegendText = line.Label;
                scatter.Color = palette.GetColor(i);
                scatter.MarkerSize = 6;
                if (line.Label.StartsWith("train", StringComparison.Ordinal)) scatter.LinePattern = LinePattern.Dashed;
            }
            plot.Title(title);
            plot.XLabel("round");
            plot.YLabel(metric);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plot.ShowLegend(Edge.Right); // outside the data: per-dataset lines would hide under it
            return plot.GetImageBytes(Width, Height, ImageFormat.Png);
        }
        finally
        {
            plot.Dispose();
        }
    }
}
