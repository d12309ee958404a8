using Zk0.Cli.Connection;
using Zk0.Federation.Runs;
using Zk0.Federation.Schedules;
using Zk0.Federation.Strategies;
using Zk0.Policy.Abstractions;

namespace Zk0.Cli.Runs;

/// <summary><c>--run-config "k=v k=v"</c> arguments as a run's config map, checked as the SuperLink and the nodes would check it.</summary>
public static class RunConfigArguments
{
    /// <summary>The assignments merged, every key known and every value valid, before anything is sent.</summary>
    public static Dictionary<string, string> Parse(IEnumerable<string> assignments)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var text in assignments)
                foreach (var (key, value) in RunConfiguration.ParseAssignments(text)) config[key] = value;
            if (RunConfigCatalog.FindUnknownKey(config.Keys) is { } unknown) throw new CliException($"--run-config: {unknown}", 2);
            var parsed = RunConfiguration.Parse(config);
            TrainSchedule.Parse(parsed, StrategyCatalog.Create(parsed));
            RunSettings.From(config);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--run-config: {e.Message}", 2);
        }
        return config;
    }
}
