using Zk0.Datasets.Simulation;
using Zk0.Policy.Abstractions;

namespace Zk0.Policy.Evaluation;

/// <summary>
/// Evaluation datasets of tasks no node trains on (as zk0 scores its unseen SO-101 datasets): by default the built-in
/// synthetic tasks none of the nodes' datasets is, when every node trains on a synthetic task (real datasets have other
/// cameras and shapes, so synthetic tasks could not be scored by their policy).
/// </summary>
public static class UnseenTasks
{
    public const string None = "none";

    /// <summary>
    /// The synthetic tasks (in catalog order) that none of <paramref name="nodeDatasets"/> trains on, recorded as the first
    /// node's (seed and recovery wobble), so seen and unseen scores come from alike data, with the default number of
    /// episodes (only their held-out part is scored); none without nodes or with a node not on a synthetic task.
    /// </summary>
    public static IReadOnlyList<string> Default(IReadOnlyList<string> nodeDatasets)
    {
        var parsed = nodeDatasets.Select(uri => SyntheticDatasetUri.TryParse(uri, out var synthetic) ? synthetic : null).ToList();
        // A node on real data, or on a synthetic URI that names no task (its node reports that itself), leaves no default.
        if (parsed.Count == 0 || parsed.Any(p => p is null)) return [];
        var trained = parsed.Select(p => p!.Task.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Enumerable.Range(0, SimTaskCatalog.All.Count)
            .Where(i => !trained.Contains(SimTaskCatalog.All[i].Name))
            .Select(i => (parsed[0]! with { Task = SimTaskCatalog.All[i], Episodes = SyntheticDatasetUri.DefaultEpisodes }).ToString())
            .ToList();
    }

    /// <summary>
    /// The run's <see cref="RunSettings.EvalUnseenDatasetsKey"/> (<c>none</c>: no unseen tasks), else <paramref name="fallback"/>;
    /// a dataset that is also among <paramref name="seen"/> is not unseen.
    /// </summary>
    public static IReadOnlyList<string> For(IReadOnlyDictionary<string, string> runConfig, IReadOnlyList<string> fallback, IReadOnlyList<string> seen)
    {
        IReadOnlyList<string> chosen = fallback;
        if (runConfig.TryGetValue(RunSettings.EvalUnseenDatasetsKey, out var list) && !string.IsNullOrWhiteSpace(list))
        {
            chosen = list.Trim().Equals(None, StringComparison.OrdinalIgnoreCase)
                ? []
                : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        return chosen.Except(seen, StringComparer.Ordinal).Distinct(StringComparer.Ordinal).ToList();
    }
}
