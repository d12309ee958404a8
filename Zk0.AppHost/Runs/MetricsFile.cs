using System.Text.Json;
using Zk0.Federation.Protocol;

namespace Zk0.AppHost.Runs;

/// <summary>
/// Writes <c>DIR/&lt;run-id&gt;/metrics.json</c>:
/// <c>{"run_id", "status", "config", "rounds": [{"round", "train": {node: metrics}, "eval": {"loss", "datasets"}}]}</c>.
/// </summary>
public static class MetricsFile
{
    /// <param name="lost">Why the run was lost, when it was: the file then says "lost" with that reason.</param>
    public static string Write(RunDetail run, string outputDirectory, string? lost = null)
    {
        var directory = Path.Combine(Path.GetFullPath(outputDirectory), run.Summary.RunId);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "metrics.json");
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            Write(run, stream, lost);
        }
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    public static void Write(RunDetail run, Stream output, string? lost = null)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        var summary = run.Summary;
        json.WriteStartObject();
        json.WriteString("run_id", summary.RunId);
        json.WriteString("status", lost is null ? StatusName(summary.Status) : LostStatus);
        var message = lost ?? summary.Message;
        if (message.Length > 0) json.WriteString("message", message);
        json.WriteNumber("num_server_rounds", summary.NumServerRounds);
        WriteStrings(json, "config", summary.Config);
        json.WriteString("initial_model_hash", run.InitialModelHash);
        json.WriteString("final_model_hash", summary.GlobalModelHash);
        json.WriteStartArray("rounds");
        foreach (var round in run.Rounds.OrderBy(r => r.Round))
        {
            WriteRound(json, round);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRound(Utf8JsonWriter json, RoundRecord round)
    {
        json.WriteStartObject();
        json.WriteNumber("round", round.Round);
        json.WriteString("model_hash", round.ModelHash);
        json.WriteNumber("model_size_bytes", round.ModelSizeBytes);
        json.WriteNumber("duration_ms", Math.Max(0, round.FinishedUnixMs - round.StartedUnixMs));
        json.WriteStartObject("train");
        foreach (var node in round.Train.OrderBy(n => n.NodeId, StringComparer.Ordinal))
        {
            json.WriteStartObject(node.NodeId);
            json.WriteString("dataset_id", node.DatasetId);
            json.WriteNumber("num_examples", node.NumExamples);
            json.WriteString("base_model_hash", node.BaseModelHash);
            json.WriteString("update_hash", node.UpdateHash);
            foreach (var (name, value) in node.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)) WriteNumber(json, name, value);
            if (node.Error.Length > 0) json.WriteString("error", node.Error);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        WriteNumbers(json, "train_metrics", round.TrainMetrics);

        if (round.Eval is { } eval)
        {
            json.WriteStartObject("eval");
            WriteNumber(json, "loss", eval.Loss);
            WriteNumbers(json, "metrics", eval.Metrics);
            json.WriteStartObject("datasets");
            foreach (var (dataset, result) in eval.Datasets.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject(dataset);
                WriteNumber(json, "loss", result.Loss);
                json.WriteNumber("num_examples", result.NumExamples);
                foreach (var (name, value) in result.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)) WriteNumber(json, name, value);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("eval");
        }

        json.WriteStartArray("missing_nodes");
        foreach (var node in round.MissingNodes) json.WriteStringValue(node);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The status of a run whose state the SuperLink no longer has.</summary>
    public const string LostStatus = "lost";

    public static string StatusName(RunStatus status) => status switch
    {
        RunStatus.Pending => "pending",
        RunStatus.Running => "running",
        RunStatus.Completed => "completed",
        RunStatus.Failed => "failed",
        RunStatus.Stopped => "stopped",
        _ => "unknown",
    };

    // JSON has no NaN or infinity; a diverged loss is written as null rather than breaking the file.
    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, double>> values)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal)) WriteNumber(json, key, value);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, string>> values)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal)) json.WriteString(key, value);
        json.WriteEndObject();
    }
}
