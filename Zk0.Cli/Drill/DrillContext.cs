using Zk0.Cli.Drill.Nodes;
using Zk0.Cli.Drill.Runs;
using Zk0.Cli.Simulation;

namespace Zk0.Cli.Drill;

/// <summary>What every drill gets: the settings, a log, and the reference runs' final models (each computed once, undisturbed).</summary>
public sealed class DrillContext(DrillSettings settings, Action<string> log, Dictionary<string, string> references)
{
    /// <summary>The honest trainers' datasets of most drills.</summary>
    public static readonly string[] Datasets = ["drill-a", "drill-b", "drill-c"];

    public DrillContext(DrillSettings settings, Action<string> log) : this(settings, log, []) { }

    public DrillSettings Settings => settings;
    public void Log(string line) => log(line);

    /// <summary>The same settings and reference models, another log.</summary>
    public DrillContext WithLog(Action<string> other) => new(settings, other, references);

    /// <summary>
    /// The final model of an undisturbed run over <see cref="Datasets"/> with the drill seed: from the uploaded initial
    /// model (with <paramref name="serverEval"/>), or from an init task when <paramref name="initTask"/>.
    /// </summary>
    public async Task<string> ReferenceModelAsync(bool serverEval, bool initTask, CancellationToken ct)
    {
        var key = $"eval={serverEval} init={initTask}";
        if (references.TryGetValue(key, out var hash)) return hash;
        await using var federation = await DrillFederation.StartAsync(settings, $"reference-{(serverEval ? "eval" : "noeval")}-{(initTask ? "init" : "upload")}", new FederationLayout(false), ct);
        foreach (var dataset in Datasets) await federation.StartTrainerAsync(dataset, TrainerBehaviour.Honest);
        if (serverEval) await federation.StartEvaluatorAsync();
        var initial = initTask ? null : await federation.UploadInitialModelAsync(ct);
        hash = await federation.RunUndisturbedAsync(DrillRunConfig.Create(settings.Seed, initial, serverEval, Datasets.Length), ct);
        log($"reference ({key}): final model {hash}");
        return references[key] = hash;
    }
}
