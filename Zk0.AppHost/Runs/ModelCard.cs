using System.Globalization;
using System.Text;
using System.Text.Json;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;

namespace Zk0.AppHost.Runs;

/// <summary>What a checkpoint's model card says: which model of which run, trained how, on what, scoring what.</summary>
/// <param name="Round">The round whose committed model this is.</param>
/// <param name="RoundMetrics">The round's entry in metrics.json, when known.</param>
/// <param name="Videos">The round's evaluation videos saved in the run's outputs.</param>
public sealed record ModelCardFacts(
    string RunId,
    string RunStatus,
    int Round,
    bool Final,
    string ModelHash,
    IReadOnlyDictionary<string, string> Config,
    IReadOnlyList<RunNode> Nodes,
    IReadOnlyList<string> EvalDatasets,
    JsonElement? RoundMetrics,
    IReadOnlyList<EvaluationVideoFile>? Videos = null);

/// <summary>
/// The checkpoint's <c>README.md</c>. Datasets appear only as the anonymous ids nodes report: dataset URIs, paths and any
/// config value that looks like one are left out, so the card can be published with the weights.
/// </summary>
public static class ModelCard
{
    public const string FileName = "README.md";

    public static string Write(ModelCardFacts facts)
    {
        var settings = RunSettings.From(facts.Config);
        var which = facts.Final ? $"final model (round {facts.Round})" : $"round {facts.Round}";
        var card = new StringBuilder();
        card.AppendLine("---");
        card.AppendLine("library_name: lerobot");
        card.AppendLine("pipeline_tag: robotics");
        card.AppendLine($"tags: [robotics, federated-learning, zk0, {settings.PolicyType}]");
        card.AppendLine("---");
        card.AppendLine();
        card.AppendLine($"# zk0 federated {settings.PolicyType}: run {facts.RunId}, {which}");
        card.AppendLine();
        card.AppendLine($"A {settings.PolicyType} policy trained with federated learning by zk0: each node trained on its own data and only weight updates left it.");
        card.AppendLine();
        card.AppendLine("| | |");
        card.AppendLine("|---|---|");
        card.AppendLine($"| policy type | `{settings.PolicyType}` |");
        card.AppendLine($"| run id | `{facts.RunId}` (status when saved: {facts.RunStatus}) |");
        card.AppendLine($"| round | {facts.Round} |");
        card.AppendLine($"| model hash | `{facts.ModelHash}` (SHA-256 of the global model blob: the trainable tensors) |");
        card.AppendLine();

        card.AppendLine("## Training hyperparameters");
        card.AppendLine();
        card.AppendLine("The run configuration (values that name a path or dataset are withheld):");
        card.AppendLine();
        card.AppendLine("| key | value |");
        card.AppendLine("|---|---|");
        foreach (var (key, value) in facts.Config.OrderBy(c => c.Key, StringComparer.Ordinal))
            card.AppendLine($"| `{key}` | {(LooksLikeLocation(value) ? "(withheld)" : $"`{value}`")} |");
        card.AppendLine();

        card.AppendLine("## Datasets");
        card.AppendLine();
        card.AppendLine("Anonymous dataset ids (an HMAC of the dataset under each node's secret salt):");
        card.AppendLine();
        foreach (var node in facts.Nodes.OrderBy(n => n.NodeIndex))
            card.AppendLine($"- node {node.NodeIndex} trained on `{(node.DatasetId.Length > 0 ? node.DatasetId : "(not reported)")}`");
        card.AppendLine($"- server evaluation on {facts.EvalDatasets.Count} held-out split(s): " +
            string.Join(", ", facts.EvalDatasets.Select(uri => $"`{EvalDatasets.AnonymousName(uri, facts.EvalDatasets, facts.Nodes)}`")));
        card.AppendLine();

        card.AppendLine($"## Metrics (round {facts.Round})");
        card.AppendLine();
        AppendMetrics(card, facts);
        card.AppendLine();

        AppendVideos(card, facts);

        card.AppendLine("## How to load");
        card.AppendLine();
        card.AppendLine("`config.json` and `model.safetensors` (the full state dict under LeRobot's key names) form a LeRobot checkpoint.");
        card.AppendLine("Start a zk0 run from it:");
        card.AppendLine();
        card.AppendLine("```bash");
        card.AppendLine($"dotnet run --project Zk0.AppHost -- --run-config \"policy={settings.PolicyType} policy-path=<this directory>\"");
        card.AppendLine("```");
        if (settings.PolicyType == "smolvla")
        {
            card.AppendLine();
            card.AppendLine("In Python (LeRobot): `SmolVLAPolicy.from_pretrained(\"<this directory>\")`.");
        }
        card.AppendLine();
        card.Append(LeRobotLoadingNotes.Markdown(settings.PolicyType));
        return card.ToString();
    }

    private static void AppendMetrics(StringBuilder card, ModelCardFacts facts)
    {
        if (facts.RoundMetrics is not { } round)
        {
            card.AppendLine("(no metrics were recorded for this round)");
            return;
        }
        card.AppendLine("| scope | metric | value |");
        card.AppendLine("|---|---|---|");
        if (round.TryGetProperty("train_metrics", out var train) && train.ValueKind == JsonValueKind.Object && train.TryGetProperty("loss", out var trainLoss))
            card.AppendLine($"| node training (weighted mean) | loss | {Number(trainLoss)} |");
        if (round.TryGetProperty("eval", out var eval) && eval.ValueKind == JsonValueKind.Object)
        {
            if (eval.TryGetProperty("loss", out var loss)) card.AppendLine($"| server evaluation, all datasets | loss | {Number(loss)} |");
            if (eval.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object)
            {
                foreach (var metric in metrics.EnumerateObject().Where(m => m.Name != "loss"))
                    card.AppendLine($"| server evaluation, all datasets | {metric.Name} | {Number(metric.Value)} |");
            }
            if (eval.TryGetProperty("datasets", out var datasets) && datasets.ValueKind == JsonValueKind.Object)
            {
                foreach (var dataset in datasets.EnumerateObject())
                {
                    var name = EvalDatasets.AnonymousName(dataset.Name, facts.EvalDatasets, facts.Nodes);
                    foreach (var metric in dataset.Value.EnumerateObject().Where(m => m.Name != "num_examples").DistinctBy(m => m.Name))
                        card.AppendLine($"| server evaluation, `{name}` | {metric.Name} | {Number(metric.Value)} |");
                }
            }
        }
        else
        {
            card.AppendLine("| server evaluation | | not recorded for this round |");
        }
    }

    // The card sits in checkpoints/<name>/, two folders below the run's folder the video paths are relative to.
    private static void AppendVideos(StringBuilder card, ModelCardFacts facts)
    {
        if (facts.Videos is not { Count: > 0 } videos) return;
        card.AppendLine($"## Evaluation videos (round {facts.Round})");
        card.AppendLine();
        card.AppendLine("Closed-loop rollouts of this model in the zk0 simulator, one folder per task:");
        card.AppendLine();
        card.AppendLine("| task | episode | outcome | steps | seconds | video |");
        card.AppendLine("|---|---|---|---|---|---|");
        foreach (var video in videos.OrderBy(v => v.Task, StringComparer.Ordinal).ThenBy(v => v.Episode))
        {
            var outcome = video.Success ? "success" : "failure";
            var seconds = video.DurationSeconds.ToString("0.##", CultureInfo.InvariantCulture);
            card.AppendLine($"| {video.Task} | {video.Episode} | {outcome} | {video.Steps} | {seconds} | [{video.VideoPath}](../../{video.VideoPath}) |");
        }
        card.AppendLine();
    }

    private static string Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString("G6", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>A value that could name a dataset or a file: a URI, an absolute or relative path, a drive letter.</summary>
    public static bool LooksLikeLocation(string value) => value.IndexOfAny(['/', '\\', ':']) >= 0 || value.StartsWith('~');
}
