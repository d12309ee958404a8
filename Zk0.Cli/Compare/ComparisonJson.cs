using System.Text.Encodings.Web;
using System.Text.Json;

namespace Zk0.Cli.Compare;

/// <summary>The comparison's numbers as <c>compare.json</c> (metrics the scorer did not report are null).</summary>
public static class ComparisonJson
{
    public static void Write(ComparisonReport report, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("run_id", report.RunId);
        json.WriteString("policy_type", report.PolicyType);
        json.WriteNumber("evaluation_seed", report.EvaluationSeed);
        json.WriteString("central_schedule", report.CentralSchedule);
        WritePair(json, "steps", report.FederatedSteps, report.CentralSteps);
        WritePair(json, "wall_seconds", report.FederatedWallTime.TotalSeconds, report.CentralWallTime.TotalSeconds);
        json.WriteStartObject("datasets");
        foreach (var row in report.Rows.Where(r => r.Name != ComparisonReport.OverallRow)) WriteRow(json, row.Name, row, report.MetricNames);
        json.WriteEndObject();
        var overall = report.Rows.Single(r => r.Name == ComparisonReport.OverallRow);
        WriteRow(json, ComparisonReport.OverallRow, overall, report.MetricNames);
        json.WriteEndObject();
    }

    private static void WriteRow(Utf8JsonWriter json, string name, ComparisonRow row, IReadOnlyList<string> metrics)
    {
        json.WriteStartObject(name);
        json.WriteNumber("examples", row.Examples);
        foreach (var side in new[] { "federated", "central" })
        {
            json.WriteStartObject(side);
            foreach (var metric in metrics)
            {
                var pair = row.Metrics.GetValueOrDefault(metric);
                var value = side == "federated" ? pair?.Federated : pair?.Central;
                if (value is double v && double.IsFinite(v)) json.WriteNumber(metric, v);
                else json.WriteNull(metric);
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WritePair(Utf8JsonWriter json, string name, double federated, double central)
    {
        json.WriteStartObject(name);
        json.WriteNumber("federated", federated);
        json.WriteNumber("central", central);
        json.WriteEndObject();
    }
}
