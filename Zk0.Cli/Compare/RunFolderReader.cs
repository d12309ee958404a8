using System.Globalization;
using System.Text.Json;

namespace Zk0.Cli.Compare;

/// <summary>
/// Reads a run output folder written by the AppHost (<c>outputs/&lt;run-id&gt;/</c>): <c>run.json</c> for the run config,
/// nodes and evaluation datasets, <c>metrics.json</c> for the steps and learning rate of every round, and the path of
/// <c>checkpoints/final/</c>. Every problem is a <see cref="RunFolderException"/> naming the file and the fix.
/// </summary>
public static class RunFolderReader
{
    public const string RunFileName = "run.json";
    public const string MetricsFileName = "metrics.json";
    public const string RoundLearningRateMetric = "round-learning-rate";
    public const string UnseenEvalDatasetsField = "unseen_eval_datasets";
    public static readonly string FinalCheckpointPath = Path.Combine("checkpoints", "final");

    public static FederatedRun Read(string folder)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
            throw new RunFolderException($"Run folder '{root}' does not exist. Pass the output folder of a finished federated run, e.g. --run outputs/<run-id>.");

        using var run = Parse(root, RunFileName);
        using var metrics = Parse(root, MetricsFileName);
        var runJson = Path.Combine(root, RunFileName);
        var config = ReadConfig(runJson, run.RootElement);
        var nodes = ReadNodes(runJson, run.RootElement);
        var evalDatasets = Strings(runJson, run.RootElement, "eval_datasets");
        if (evalDatasets.Count == 0)
            throw new RunFolderException($"'{runJson}' lists no eval_datasets; compare scores both models on the run's evaluation datasets.");
        var rounds = ReadRounds(Path.Combine(root, MetricsFileName), metrics.RootElement);

        var checkpoint = Path.Combine(root, FinalCheckpointPath);
        if (!Directory.Exists(checkpoint))
            throw new RunFolderException(
                $"Run folder '{root}' has no {FinalCheckpointPath}/ (the federated model). Run the federation with run outputs enabled " +
                "so the AppHost saves checkpoints, then compare that run.");

        return new FederatedRun(root, Text(run.RootElement, "run_id") ?? Path.GetFileName(root), config, nodes, evalDatasets,
            EvaluationSeed(run.RootElement), rounds, WallTime(metrics.RootElement), checkpoint,
            Strings(runJson, run.RootElement, UnseenEvalDatasetsField).Except(evalDatasets).ToList());
    }

    private static JsonDocument Parse(string root, string name)
    {
        var path = Path.Combine(root, name);
        if (!File.Exists(path))
            throw new RunFolderException(
                $"Run folder '{root}' has no {name}. Compare needs the outputs of a finished run written by the AppHost " +
                "(run.json, metrics.json and checkpoints/final/); run the federation with outputs first.");
        try
        {
            using var stream = File.OpenRead(path);
            var document = JsonDocument.Parse(stream);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new RunFolderException($"'{path}' must hold a JSON object.");
            }
            return document;
        }
        catch (JsonException e)
        {
            throw new RunFolderException($"'{path}' is not valid JSON ({e.Message}); the run outputs are damaged. Rerun the federation or restore the file.");
        }
    }

    private static Dictionary<string, string> ReadConfig(string path, JsonElement run)
    {
        if (!run.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
            throw new RunFolderException($"'{path}' has no \"config\" object (the run config as submitted).");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in config.EnumerateObject())
        {
            result[entry.Name] = entry.Value.ValueKind switch
            {
                JsonValueKind.String => entry.Value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => entry.Value.GetRawText(),
                _ => throw new RunFolderException($"'{path}': config key '{entry.Name}' must be a string, got {entry.Value.ValueKind}."),
            };
        }
        return result;
    }

    private static List<RunNode> ReadNodes(string path, JsonElement run)
    {
        if (!run.TryGetProperty("nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Array || nodes.GetArrayLength() == 0)
            throw new RunFolderException($"'{path}' has no \"nodes\" array; compare trains centrally on the union of the nodes' datasets.");
        var result = new List<RunNode>();
        foreach (var node in nodes.EnumerateArray())
        {
            var uri = node.ValueKind == JsonValueKind.Object ? Text(node, "dataset_uri") : null;
            if (string.IsNullOrWhiteSpace(uri))
                throw new RunFolderException($"'{path}': node {result.Count} has no \"dataset_uri\".");
            var index = node.TryGetProperty("node_index", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : result.Count;
            result.Add(new RunNode(index, uri, Text(node, "dataset_id") ?? ""));
        }
        return result;
    }

    private static List<FederatedRound> ReadRounds(string path, JsonElement metrics)
    {
        if (!metrics.TryGetProperty("rounds", out var rounds) || rounds.ValueKind != JsonValueKind.Array)
            throw new RunFolderException($"'{path}' has no \"rounds\" array.");
        var result = new List<FederatedRound>();
        foreach (var round in rounds.EnumerateArray())
        {
            var number = round.TryGetProperty("round", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : result.Count + 1;
            var steps = 0;
            if (round.TryGetProperty("train", out var train) && train.ValueKind == JsonValueKind.Object)
            {
                foreach (var node in train.EnumerateObject())
                {
                    if (node.Value.ValueKind == JsonValueKind.Object && node.Value.TryGetProperty("steps", out var s) && s.ValueKind == JsonValueKind.Number)
                        steps += (int)Math.Round(s.GetDouble());
                }
            }
            double? learningRate = round.TryGetProperty("train_metrics", out var trainMetrics) && trainMetrics.ValueKind == JsonValueKind.Object
                && trainMetrics.TryGetProperty(RoundLearningRateMetric, out var lr) && lr.ValueKind == JsonValueKind.Number
                ? lr.GetDouble()
                : null;
            result.Add(new FederatedRound(number, steps, learningRate));
        }
        if (result.Sum(r => r.Steps) == 0)
            throw new RunFolderException($"'{path}' records no training steps (rounds[].train.<node>.steps); the run trained nothing to compare against.");
        return result.OrderBy(r => r.Round).ToList();
    }

    /// <summary>The Evaluator's seed when run.json records it under <c>seeds.evaluation</c>; otherwise the caller's default.</summary>
    private static long? EvaluationSeed(JsonElement run)
    {
        if (!run.TryGetProperty("seeds", out var seeds) || seeds.ValueKind != JsonValueKind.Object || !seeds.TryGetProperty("evaluation", out var seed))
            return null;
        return seed.ValueKind switch
        {
            JsonValueKind.Number when seed.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(seed.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    private static TimeSpan WallTime(JsonElement metrics)
    {
        double milliseconds = 0;
        if (metrics.TryGetProperty("rounds", out var rounds))
        {
            foreach (var round in rounds.EnumerateArray())
            {
                if (round.TryGetProperty("duration_ms", out var d) && d.ValueKind == JsonValueKind.Number) milliseconds += d.GetDouble();
            }
        }
        return TimeSpan.FromMilliseconds(milliseconds);
    }

    private static List<string> Strings(string path, JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var array)) return [];
        if (array.ValueKind != JsonValueKind.Array)
            throw new RunFolderException($"'{path}': \"{name}\" must be an array of strings.");
        return array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())
            .Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
