namespace Zk0.AppHost.Runs;

/// <summary>The datasets the Evaluator scores a run on: the run's <c>eval-datasets</c>, else every local node's dataset (what the AppHost gives the Evaluator).</summary>
public static class EvalDatasets
{
    public const string Key = Zk0.Policy.Abstractions.RunSettings.EvalDatasetsKey;

    public static IReadOnlyList<string> Of(IReadOnlyDictionary<string, string> config, IReadOnlyList<string> nodeDatasets) =>
        config.TryGetValue(Key, out var list) && !string.IsNullOrWhiteSpace(list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : nodeDatasets.Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The tasks no node trains on that the Evaluator scores apart: the run's <c>eval-unseen-datasets</c>, else the AppHost's default.</summary>
    public static IReadOnlyList<string> UnseenOf(IReadOnlyDictionary<string, string> config, IReadOnlyList<string> nodeDatasets) =>
        Zk0.Policy.Evaluation.UnseenTasks.For(config, Zk0.Policy.Evaluation.UnseenTasks.Default(nodeDatasets), Of(config, nodeDatasets));

    /// <summary>
    /// A name for an evaluation dataset that reveals no URI: the anonymous id of the node that trains on it, else "held-out-k".
    /// </summary>
    public static string AnonymousName(string uri, IReadOnlyList<string> evalDatasets, IReadOnlyList<RunNode> nodes)
    {
        var node = nodes.FirstOrDefault(n => n.DatasetUri == uri && n.DatasetId.Length > 0);
        if (node is not null) return node.DatasetId;
        var index = evalDatasets.ToList().IndexOf(uri);
        return $"held-out-{(index < 0 ? evalDatasets.Count : index) + 1}";
    }
}
