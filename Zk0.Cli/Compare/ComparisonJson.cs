using System.Text.Encodings.Web;
using System.Text.Json;
using Zk0.Cli.Compare.Statistics;

namespace Zk0.Cli.Compare;

/// <summary>
/// The comparison's numbers as <c>compare.json</c>: per dataset (nodes' tasks under <c>datasets</c>, the others under
/// <c>unseen_datasets</c>) and overall, each side's mean per metric under <c>federated</c>/<c>central</c>, the 95 %
/// half-widths under <c>federated_ci95</c>/<c>central_ci95</c>, the per-seed values and the ratio of the means
/// (metrics the scorer did not report, and intervals of a single seed, are null).
/// </summary>
public static class ComparisonJson
{
    public const string UnseenOverallProperty = "overall_unseen";

    public static void Write(ComparisonReport report, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("policy_type", report.PolicyType);
        json.WriteNumber("evaluation_seed", report.EvaluationSeed);
        json.WriteNumber("eval_episodes", report.EvalEpisodes);
        json.WriteString("central_schedule", report.CentralSchedule);
        json.WriteNumber("seed_count", report.Seeds.Count);
        json.WriteStartArray("seeds");
        foreach (var seed in report.Seeds)
        {
            json.WriteStartObject();
            json.WriteString("run_id", seed.RunId);
            json.WriteNumber("seed", seed.Seed);
            WritePair(json, "steps", seed.FederatedSteps, seed.CentralSteps);
            WritePair(json, "wall_seconds", seed.FederatedWallTime.TotalSeconds, seed.CentralWallTime.TotalSeconds);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WritePair(json, "steps", report.FederatedSteps, report.CentralSteps);
        WritePair(json, "wall_seconds", report.FederatedWallTime.TotalSeconds, report.CentralWallTime.TotalSeconds);
        foreach (var (section, unseen) in new[] { ("datasets", false), ("unseen_datasets", true) })
        {
            json.WriteStartObject(section);
            foreach (var row in report.Rows.Where(r => r.Unseen == unseen && !ComparisonReport.IsOverall(r))) WriteRow(json, row, report.MetricNames);
            json.WriteEndObject();
        }
        foreach (var row in report.Rows.Where(ComparisonReport.IsOverall)) WriteRow(json, row, report.MetricNames);
        json.WriteEndObject();
    }

    private static void WriteRow(Utf8JsonWriter json, ComparisonRow row, IReadOnlyList<string> metrics)
    {
        json.WriteStartObject(row.Name == ComparisonReport.UnseenOverallRow ? UnseenOverallProperty : row.Name);
        json.WriteNumber("examples", row.Examples);
        WriteSide(json, "federated", metrics, m => Number(row, m, c => c.Federated?.Mean));
        WriteSide(json, "central", metrics, m => Number(row, m, c => c.Central?.Mean));
        WriteSide(json, "federated_ci95", metrics, m => Number(row, m, c => c.Federated?.HalfWidth95));
        WriteSide(json, "central_ci95", metrics, m => Number(row, m, c => c.Central?.HalfWidth95));
        WriteSide(json, "ratio", metrics, m => Number(row, m, c => c.Ratio?.Value));
        WriteSide(json, "ratio_ci95", metrics, m => Number(row, m, c => c.Ratio?.HalfWidth95));
        json.WriteStartObject("per_seed");
        foreach (var metric in metrics)
        {
            var comparison = row.Metrics.GetValueOrDefault(metric);
            json.WriteStartObject(metric);
            WriteValues(json, "federated", comparison?.Federated);
            WriteValues(json, "central", comparison?.Central);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static double? Number(ComparisonRow row, string metric, Func<MetricComparison, double?> select) =>
        row.Metrics.GetValueOrDefault(metric) is { } comparison ? select(comparison) : null;

    private static void WriteSide(Utf8JsonWriter json, string name, IReadOnlyList<string> metrics, Func<string, double?> value)
    {
        json.WriteStartObject(name);
        foreach (var metric in metrics)
        {
            if (value(metric) is double v && double.IsFinite(v)) json.WriteNumber(metric, v);
            else json.WriteNull(metric);
        }
        json.WriteEndObject();
    }

    private static void WriteValues(Utf8JsonWriter json, string name, SeedSummary? summary)
    {
        if (summary is null)
        {
            json.WriteNull(name);
            return;
        }
        json.WriteStartArray(name);
        foreach (var v in summary.Values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }

    private static void WritePair(Utf8JsonWriter json, string name, double federated, double central)
    {
        json.WriteStartObject(name);
        json.WriteNumber("federated", federated);
        json.WriteNumber("central", central);
        json.WriteEndObject();
    }
}
