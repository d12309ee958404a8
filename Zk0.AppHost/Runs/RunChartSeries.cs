using System.Text.Json;

namespace Zk0.AppHost.Runs;

/// <summary>One line of a chart: a metric's value per round.</summary>
public sealed record ChartLine(string Label, IReadOnlyList<(int Round, double Value)> Points);

/// <summary>
/// The lines of a run's charts, read from its metrics.json: per round, the server evaluation overall and per dataset,
/// and (for the loss) each node's training loss. Only finite values count; a metric with no value gets no lines.
/// </summary>
public static class RunChartSeries
{
    public const string Loss = "loss";
    public const string ActionError = "action_error";
    public const string SuccessRate = "success_rate";

    public static readonly IReadOnlyList<string> Metrics = [Loss, ActionError, SuccessRate];

    /// <summary>The overall line of the tasks no node trains on (the Evaluator's <c>unseen_*</c> metrics); "all datasets" are the nodes' tasks.</summary>
    public const string UnseenLabel = "eval (unseen tasks)";
    private const string UnseenPrefix = "unseen_";

    private static bool IsUnseen(JsonElement dataset) =>
        dataset.ValueKind == JsonValueKind.Object && dataset.TryGetProperty("unseen", out var flag) && flag.ValueKind == JsonValueKind.Number && flag.GetDouble() == 1;

    public static IReadOnlyList<ChartLine> For(JsonElement metricsJson, string metric)
    {
        var lines = new Dictionary<string, List<(int, double)>>(StringComparer.Ordinal);
        void Add(string label, int round, JsonElement container, string property)
        {
            if (container.ValueKind != JsonValueKind.Object || !container.TryGetProperty(property, out var value)) return;
            if (value.ValueKind != JsonValueKind.Number || !double.IsFinite(value.GetDouble())) return;
            if (!lines.TryGetValue(label, out var points)) lines[label] = points = [];
            points.Add((round, value.GetDouble()));
        }

        if (!metricsJson.TryGetProperty("rounds", out var rounds) || rounds.ValueKind != JsonValueKind.Array) return [];
        foreach (var round in rounds.EnumerateArray())
        {
            var number = round.GetProperty("round").GetInt32();
            if (round.TryGetProperty("eval", out var eval) && eval.ValueKind == JsonValueKind.Object)
            {
                if (metric == Loss) Add("eval (all datasets)", number, eval, Loss);
                else if (eval.TryGetProperty("metrics", out var overall)) Add("eval (all datasets)", number, overall, metric);
                if (eval.TryGetProperty("metrics", out var metrics)) Add(UnseenLabel, number, metrics, UnseenPrefix + metric);
                if (eval.TryGetProperty("datasets", out var datasets) && datasets.ValueKind == JsonValueKind.Object)
                {
                    foreach (var dataset in datasets.EnumerateObject())
                        Add(IsUnseen(dataset.Value) ? $"eval {dataset.Name} (unseen)" : $"eval {dataset.Name}", number, dataset.Value, metric);
                }
            }
            if (metric == Loss && round.TryGetProperty("train", out var train) && train.ValueKind == JsonValueKind.Object)
            {
                foreach (var node in train.EnumerateObject())
                {
                    var name = node.Value.TryGetProperty("dataset_id", out var id) && id.GetString() is { Length: > 0 } datasetId ? datasetId : node.Name;
                    Add($"train {name}", number, node.Value, Loss);
                }
            }
        }
        return lines.Select(l => new ChartLine(l.Key, l.Value)).ToList();
    }
}
