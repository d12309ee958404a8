using System.Globalization;
using System.Text;

namespace Zk0.Cli.Compare;

/// <summary>The comparison as markdown: scores on the nodes' tasks, on the unseen tasks, then steps, wall time and seeds.</summary>
public static class ComparisonMarkdown
{
    public static string Render(ComparisonReport report)
    {
        var text = new StringBuilder();
        var n = report.Seeds.Count;
        text.AppendLine(CultureInfo.InvariantCulture, $"## zk0 compare: {report.PolicyType}, {n} seed(s) (runs {report.RunIds})");
        text.AppendLine();
        text.AppendLine("### Nodes' tasks (held-out episodes)");
        text.AppendLine();
        text.AppendLine(ComparisonTable.Render(report, unseen: false));
        var unseen = ComparisonTable.Render(report, unseen: true);
        if (unseen is not null)
        {
            text.AppendLine();
            text.AppendLine("### Unseen tasks (no node trains on them)");
            text.AppendLine();
            text.AppendLine(unseen);
        }
        text.AppendLine();
        text.AppendLine("| | federated | central |");
        text.AppendLine("|---|---:|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| optimizer steps (each seed) | {report.FederatedSteps} | {report.CentralSteps} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| wall time (s, mean over seeds) | {report.FederatedWallTime.TotalSeconds:F1} | {report.CentralWallTime.TotalSeconds:F1} |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Seeds: {string.Join(", ", report.Seeds.Select(s => $"{s.Seed} (run {s.RunId})"))}; central training uses each run's seed.");
        text.AppendLine(n > 1
            ? $"Cells: mean over the {n} seeds ± half-width of the 95 % confidence interval (Student t, {n - 1} degrees of freedom). " +
              "federated/central is the ratio of the means; its ± is a delta-method guide that treats the two means as independent and fails when a mean's interval reaches 0. " +
              "compare.png draws each interval cut to what the metric can take (a success rate within 0 and 1, an error from 0)."
            : "One seed: no confidence interval; run the federation with more seeds (--seeds) to see the spread.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Central training: {report.CentralSchedule}. Federated wall time: the run's rounds (training, aggregation, evaluation); central: training only.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Both models scored by the Evaluator's ModelScorer on the held-out splits, evaluation seed {report.EvaluationSeed}, " +
            $"success over {report.EvalEpisodes} closed-loop episode(s) per task and seed where the dataset has a simulator; " +
            $"'{ComparisonReport.OverallRow}' covers the nodes' tasks only, '{ComparisonReport.UnseenOverallRow}' the tasks no node trains on.");
        return text.ToString();
    }
}
