using ScottPlot;
using Zk0.Charts;

namespace Zk0.Cli.Learn;

/// <summary><c>learning.png</c>: closed-loop success against optimizer steps and against training seconds, then held-out loss; one line per configuration.</summary>
public static class LearningCurveChart
{
    public static void Save(IReadOnlyList<LearningCurve> curves, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        Draw(multiplot.GetPlot(0), curves, p => p.Steps, p => p.SuccessRate, "optimizer steps", "success rate (all tasks)");
        Draw(multiplot.GetPlot(1), curves, p => p.TrainSeconds, p => p.SuccessRate, "training seconds (this CPU)", "success rate (all tasks)");
        Draw(multiplot.GetPlot(2), curves, p => p.Steps, p => p.EvalLoss, "optimizer steps", "held-out loss");
        multiplot.SavePng(path, width: 900, height: 960);
    }

    private static void Draw(Plot plot, IReadOnlyList<LearningCurve> curves, Func<LearningPoint, double> x, Func<LearningPoint, double> y, string xLabel, string yLabel)
    {
        ChartFonts.Apply(plot);
        foreach (var curve in curves.Where(c => c.Points.Count > 0))
        {
            var line = plot.Add.Scatter(curve.Points.Select(x).ToArray(), curve.Points.Select(y).ToArray());
            line.LegendText = curve.Label;
        }
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (yLabel.StartsWith("success", StringComparison.Ordinal)) plot.Axes.SetLimitsY(0, 1.05);
        plot.ShowLegend(Alignment.UpperLeft);
    }
}
