using System.Globalization;
using Zk0.Cli.Simulation;

namespace Zk0.Cli.Drill.Runs;

/// <summary>A drill's run: FedAvg for <see cref="DrillSettings.Rounds"/> rounds over every online trainer, from the drill's seed.</summary>
public static class DrillRunConfig
{
    /// <param name="initialModel">The uploaded initial model; null: a trainer builds it from the seed (an init task).</param>
    /// <param name="serverEval">Whether every round waits for an evaluation from an evaluator node.</param>
    public static Dictionary<string, string> Create(int seed, string? initialModel, bool serverEval, int minTrainNodes, TimeSpan? roundTimeout = null, int rounds = DrillSettings.Rounds)
    {
        var config = BenchRun.Config(initialModel ?? "", rounds, minTrainNodes, roundTimeout ?? TimeSpan.FromSeconds(60));
        if (initialModel is null) config.Remove("initial-model");
        config["seed"] = seed.ToString(CultureInfo.InvariantCulture);
        config["server-eval"] = serverEval ? "true" : "false";
        config["eval-timeout-seconds"] = "30";
        config["node-wait-timeout-seconds"] = "60";
        return config;
    }
}
