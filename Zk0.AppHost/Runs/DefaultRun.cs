using Zk0.Federation.Runs;
using RunConfiguration = Zk0.Federation.Runs.RunConfiguration;

namespace Zk0.AppHost.Runs;

/// <summary>
/// The run the AppHost submits: a checkpoint is saved every <see cref="CheckpointSchedule.DefaultInterval"/> rounds, and
/// a round needs all local nodes but one (<see cref="MinTrainNodes"/>), unless --run-config says otherwise. Unless
/// --run-config names a policy, it is the configuration that learns the synthetic tasks on a CPU (<see cref="CpuLearning"/>).
/// </summary>
public static class DefaultRun
{
    /// <summary>
    /// The behaviour-cloning policy with enough local steps per round that the success rate climbs above 0 within the run
    /// (docs/learning.md has the curves behind these numbers). SmolVLA does not get there on a CPU; GPU runs pass
    /// <c>policy=smolvla</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> CpuLearning { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Zk0.Policy.Abstractions.RunSettings.PolicyKey] = "bc",
        // 40 short rounds, not 8 of 500 steps: the same steps in all, and a quarter lower server loss (docs/learning.md).
        [RunConfigKeys.NumServerRounds] = "40",
        [Zk0.Policy.Abstractions.RunSettings.LocalStepsKey] = "100",
        [RunConfigKeys.EvalFrequency] = "5",
        [Zk0.Policy.Abstractions.RunSettings.EvalEpisodesKey] = "5",
        // The decay's last, small steps are where closed-loop success jumps (docs/learning.md).
        [Zk0.Federation.Schedules.ScheduleConfigKeys.LrSchedule] = "cosine-warmup",
        [Zk0.Federation.Schedules.ScheduleConfigKeys.WarmupRounds] = "0",
        // One task per node: SCAFFOLD's correction keeps each node's steps nearer the federation's (docs/learning.md).
        [Zk0.Policy.Abstractions.RunSettings.DriftCorrectionKey] = "scaffold",
    };

    public static Dictionary<string, string> Config(int nodes, IReadOnlyDictionary<string, string> overrides)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [RunConfigKeys.MinTrainNodes] = MinTrainNodes(nodes).ToString(System.Globalization.CultureInfo.InvariantCulture),
            [CheckpointSchedule.IntervalKey] = CheckpointSchedule.DefaultInterval.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var namesPolicy = overrides.ContainsKey(Zk0.Policy.Abstractions.RunSettings.PolicyKey) || overrides.ContainsKey(Zk0.Policy.Abstractions.RunSettings.PolicyTypeKey);
        if (!namesPolicy)
            foreach (var (key, value) in CpuLearning) config[key] = value;
        foreach (var (key, value) in overrides) config[key] = value;
        // Fail here, with the key named, before anything is submitted.
        if (Zk0.Policy.Abstractions.RunConfigCatalog.FindUnknownKey(config.Keys, alsoKnown: [CheckpointSchedule.IntervalKey]) is { } unknown)
            throw new ArgumentException(unknown);
        RunConfiguration.Parse(config);
        Zk0.Policy.Abstractions.RunSettings.From(config);
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
