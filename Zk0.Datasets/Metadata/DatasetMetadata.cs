using Zk0.Datasets.Stats;

namespace Zk0.Datasets.Metadata;

/// <summary>Everything under meta/: info, episodes, tasks and stats (global and per episode).</summary>
public sealed record DatasetMetadata(
    string Root, DatasetInfo Info, IReadOnlyList<EpisodeInfo> Episodes, IReadOnlyDictionary<int, string> Tasks,
    IReadOnlyDictionary<string, FeatureStats> Stats, IReadOnlyDictionary<int, IReadOnlyDictionary<string, FeatureStats>> EpisodeStats,
    IReadOnlyList<string> EpisodeFiles)
{
    public string TaskText(int taskIndex) => Tasks.TryGetValue(taskIndex, out var task) ? task
        : throw new DatasetException($"{Root}: task_index {taskIndex} is not in the tasks table ({Tasks.Count} tasks).");
}
