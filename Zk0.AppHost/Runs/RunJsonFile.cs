using System.Globalization;
using System.Text.Json;
using Zk0.Federation.Runs;
using Zk0.Policy.Checkpoints;
using RunConfiguration = Zk0.Federation.Runs.RunConfiguration;

namespace Zk0.AppHost.Runs;

/// <summary>What run.json records about a run: how it was configured, who trained on what, every seed and every version.</summary>
public sealed record RunDescription(
    string RunId,
    DateTimeOffset CreatedUtc,
    string Status,
    string? Message,
    IReadOnlyDictionary<string, string> Config,
    IReadOnlyList<RunNode> Nodes,
    IReadOnlyList<string> EvalDatasets,
    long EvaluationSeed,
    RuntimeVersions Versions,
    IReadOnlyList<string>? UnseenEvalDatasets = null,
    IReadOnlyList<EvaluationVideoFile>? Videos = null);

/// <summary>
/// Writes <c>DIR/&lt;run-id&gt;/run.json</c>: <c>{"run_id", "created_utc", "status", "config", "nodes": [{"node_index",
/// "dataset_uri", "dataset_id"}], "eval_datasets", "unseen_eval_datasets", "seeds": {"run", "evaluation", "train_tasks":
/// [{"node_index", "dataset_id", "rounds": {"1": seed}}]}, "versions", "evaluation_videos": [{"round", "task", "episode",
/// "video", "info", "success", "steps", "duration_seconds"}]}</c> (unseen: the evaluation tasks no node trains on; the video
/// paths relative to the run's folder). The train-task seeds are the ones nodes derive
/// (<see cref="TaskSeeds"/>), listed for every node whose anonymous dataset id is known.
/// </summary>
public static class RunJsonFile
{
    public const string FileName = "run.json";

    public static void Write(RunDescription run, string path) => AtomicFile.Write(path, stream => Write(run, stream));

    public static void Write(RunDescription run, Stream output)
    {
        var configuration = RunConfiguration.Parse(run.Config);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("run_id", run.RunId);
        json.WriteString("created_utc", run.CreatedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        json.WriteString("status", run.Status);
        if (!string.IsNullOrEmpty(run.Message)) json.WriteString("message", run.Message);

        json.WriteStartObject("config");
        foreach (var (key, value) in run.Config.OrderBy(c => c.Key, StringComparer.Ordinal)) json.WriteString(key, value);
        json.WriteEndObject();

        json.WriteStartArray("nodes");
        foreach (var node in run.Nodes.OrderBy(n => n.NodeIndex))
        {
            json.WriteStartObject();
            json.WriteNumber("node_index", node.NodeIndex);
            json.WriteString("dataset_uri", node.DatasetUri);
            json.WriteString("dataset_id", node.DatasetId);
            json.WriteString("node_id", node.NodeId);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("eval_datasets");
        foreach (var uri in run.EvalDatasets) json.WriteStringValue(uri);
        json.WriteEndArray();

        json.WriteStartArray("unseen_eval_datasets");
        foreach (var uri in run.UnseenEvalDatasets ?? []) json.WriteStringValue(uri);
        json.WriteEndArray();

        WriteSeeds(json, run, configuration);
        WriteVersions(json, run.Versions);
        WriteVideos(json, run.Videos ?? []);
        json.WriteEndObject();
    }

    private static void WriteVideos(Utf8JsonWriter json, IReadOnlyList<EvaluationVideoFile> videos)
    {
        json.WriteStartArray("evaluation_videos");
        foreach (var video in videos.OrderBy(v => v.Round).ThenBy(v => v.Task, StringComparer.Ordinal).ThenBy(v => v.Episode))
        {
            json.WriteStartObject();
            json.WriteNumber("round", video.Round);
            json.WriteString("task", video.Task);
            json.WriteNumber("episode", video.Episode);
            json.WriteString("video", video.VideoPath);
            json.WriteString("info", video.InfoPath);
            json.WriteBoolean("success", video.Success);
            json.WriteNumber("steps", video.Steps);
            json.WriteNumber("duration_seconds", video.DurationSeconds);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteSeeds(Utf8JsonWriter json, RunDescription run, RunConfiguration configuration)
    {
        json.WriteStartObject("seeds");
        json.WriteNumber("run", configuration.Seed);
        json.WriteNumber("evaluation", run.EvaluationSeed);
        json.WriteStartArray("train_tasks");
        foreach (var node in run.Nodes.Where(n => n.DatasetId.Length > 0).OrderBy(n => n.NodeIndex))
        {
            json.WriteStartObject();
            json.WriteNumber("node_index", node.NodeIndex);
            json.WriteString("dataset_id", node.DatasetId);
            json.WriteStartObject("rounds");
            for (var round = 1; round <= configuration.NumServerRounds; round++)
                json.WriteNumber(round.ToString(CultureInfo.InvariantCulture), TaskSeeds.For(configuration.Seed, round, node.DatasetId));
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteVersions(Utf8JsonWriter json, RuntimeVersions versions)
    {
        json.WriteStartObject("versions");
        json.WriteString("zk0", versions.Zk0);
        json.WriteString("git_commit", versions.GitCommit);
        json.WriteString("dotnet", versions.DotNet);
        json.WriteString("torchsharp", versions.TorchSharp);
        json.WriteString("libtorch", versions.LibTorch);
        json.WriteString("os", versions.Os);
        json.WriteEndObject();
    }
}
