using System.Globalization;
using System.Text;

namespace Zk0.Cli.Compare;

/// <summary>The comparison as markdown tables: scores per dataset and overall, then steps and wall time.</summary>
public static class ComparisonMarkdown
{
    public const string Missing = "n/a";

    public static string Render(ComparisonReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## zk0 compare: run {report.RunId} ({report.PolicyType})");
        text.AppendLine();
        text.Append("| dataset | examples |");
        foreach (var metric in report.MetricNames) text.Append(CultureInfo.InvariantCulture, $" {metric} federated | {metric} central |");
        text.AppendLine();
        text.Append("|---|---:|").AppendJoin("", report.MetricNames.Select(_ => "---:|---:|")).AppendLine();
        foreach (var row in report.Rows)
        {
            var name = row.Name == ComparisonReport.OverallRow ? $"**{row.Name}**" : row.Name;
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {row.Examples} |");
            foreach (var metric in report.MetricNames)
            {
                var pair = row.Metrics.GetValueOrDefault(metric) ?? new MetricPair(null, null);
                text.Append(CultureInfo.InvariantCulture, $" {Format(pair.Federated)} | {Format(pair.Central)} |");
            }
            text.AppendLine();
        }
        text.AppendLine();
        text.AppendLine("| | federated | central |");
        text.AppendLine("|---|---:|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| optimizer steps | {report.FederatedSteps} | {report.CentralSteps} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| wall time (s) | {report.FederatedWallTime.TotalSeconds:F1} | {report.CentralWallTime.TotalSeconds:F1} |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Central training: {report.CentralSchedule}. Federated wall time: the run's rounds (training, aggregation, evaluation); central: training only.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Both models scored by the Evaluator's ModelScorer on the held-out splits, evaluation seed {report.EvaluationSeed}.");
        return text.ToString();
    }

    public static string Format(double? value) => value is double v ? v.ToString("G5", CultureInfo.InvariantCulture) : Missing;
}
