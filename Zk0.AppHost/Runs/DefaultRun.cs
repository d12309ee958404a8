using Zk0.Federation.Runs;
using RunConfiguration = Zk0.Federation.Runs.RunConfiguration;

namespace Zk0.AppHost.Runs;

/// <summary>
/// The run the AppHost submits: every local node takes part and a checkpoint is saved every
/// <see cref="CheckpointSchedule.DefaultInterval"/> rounds, unless --run-config says otherwise.
/// </summary>
public static class DefaultRun
{
    public static Dictionary<string, string> Config(int nodes, IReadOnlyDictionary<string, string> overrides)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [RunConfigKeys.MinTrainNodes] = nodes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [CheckpointSchedule.IntervalKey] = CheckpointSchedule.DefaultInterval.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in overrides) config[key] = value;
        RunConfiguration.Parse(config); // fail here, with the key named, before anything is submitted
        CheckpointSchedule.From(config);
        return config;
    }
}
