using Zk0.Federation.Runs;
using RunConfiguration = Zk0.Federation.Runs.RunConfiguration;

namespace Zk0.AppHost.Runs;

/// <summary>
/// The run the AppHost submits: a checkpoint is saved every <see cref="CheckpointSchedule.DefaultInterval"/> rounds, and
/// a round needs all local nodes but one (<see cref="MinTrainNodes"/>), unless --run-config says otherwise.
/// </summary>
public static class DefaultRun
{
    public static Dictionary<string, string> Config(int nodes, IReadOnlyDictionary<string, string> overrides)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [RunConfigKeys.MinTrainNodes] = MinTrainNodes(nodes).ToString(System.Globalization.CultureInfo.InvariantCulture),
            [CheckpointSchedule.IntervalKey] = CheckpointSchedule.DefaultInterval.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in overrides) config[key] = value;
        // Fail here, with the key named, before anything is submitted.
        if (Zk0.Policy.Abstractions.RunConfigCatalog.FindUnknownKey(config.Keys, alsoKnown: [CheckpointSchedule.IntervalKey]) is { } unknown)
            throw new ArgumentException(unknown);
        RunConfiguration.Parse(config);
        CheckpointSchedule.From(config);
        return config;
    }

    /// <summary>
    /// One node fewer than the graph has, so one dead node does not fail the run. Every round still trains on every node
    /// when none fails: the run is submitted once all of them are online (<see cref="RunDriver"/>), a round takes every
    /// online node, and a restarted SuperLink waits for the previous round's nodes before it starts the next one.
    /// </summary>
    public static int MinTrainNodes(int nodes) => Math.Max(1, nodes - 1);
}
