using Zk0.Federation.Runs;
using RunConfiguration = Zk0.Federation.Runs.RunConfiguration;

namespace Zk0.AppHost.Runs;

/// <summary>
/// The run the AppHost submits: a checkpoint is saved every <see cref="CheckpointSchedule.DefaultInterval"/> rounds, and
/// a round needs all local nodes but one (<see cref="MinTrainNodes"/>), unless --run-config says otherwise. Unless
/// --run-config names a policy, it is the configuration that learns the synthetic tasks on a CPU (<see cref="CpuLearning"/>,
/// which checkpoints every 100th round).
/// </summary>
public static class DefaultRun
{
    /// <summary>
    /// The behaviour-cloning policy in 800 short rounds of 10 steps at batch 2, plain SGD on the nodes and Adam on the
    /// server, which takes the federated model's success above 0 within the run (docs/learning.md has the curves behind
    /// these numbers). SmolVLA does not get there on a CPU; GPU runs pass <c>policy=smolvla</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> CpuLearning { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Zk0.Policy.Abstractions.RunSettings.PolicyKey] = "bc",
        // Batches of 2 in rounds of 10 steps: four times the steps of batch 8 for the same samples, and a round's average
        // that catches each node's drift after 10 steps (docs/learning.md, "Smaller batches on the nodes").
        [RunConfigKeys.NumServerRounds] = "800",
        [Zk0.Policy.Abstractions.RunSettings.LocalStepsKey] = "10",
        [Zk0.Policy.Abstractions.RunSettings.BatchSizeKey] = "2",
        // SGD on one-task nodes keeps their steps in the units of the mean gradient; the server's Adam then scales the
        // average as central Adam would (docs/learning.md, "An adaptive step on the server").
        [Zk0.Policy.Abstractions.RunSettings.LocalOptimizerKey] = "sgd",
        [Zk0.Policy.Abstractions.RunSettings.LearningRateKey] = "0.01",
        [RunConfigKeys.Strategy] = "fedadam",
        [Zk0.Federation.Strategies.StrategyConfigKeys.ServerLearningRate] = "0.01",
        // An evaluation holds its round for 25–50 s, 50 short rounds' worth, so every 100th round is scored.
        [RunConfigKeys.EvalFrequency] = "100",
        [CheckpointSchedule.IntervalKey] = "100",
        [Zk0.Policy.Abstractions.RunSettings.EvalEpisodesKey] = "5",
        // The decay's last, small steps are where closed-loop success jumps (docs/learning.md).
        [Zk0.Federation.Schedules.ScheduleConfigKeys.LrSchedule] = "cosine-warmup",
        [Zk0.Federation.Schedules.ScheduleConfigKeys.WarmupRounds] = "0",
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
