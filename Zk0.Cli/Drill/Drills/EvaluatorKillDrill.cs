using Zk0.Cli.Drill.Nodes;
using Zk0.Cli.Drill.Runs;
using Zk0.Cli.Simulation;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Drill.Drills;

/// <summary>
/// The evaluator dies holding round 2's evaluate task (it pulled it and never reports); a new evaluator is started, as a
/// supervisor would. The evaluation must be redone (the task issued again), the run must complete with the undisturbed
/// run's final model, and its events must record each round's evaluation exactly once, by an evaluator node.
/// </summary>
public sealed class EvaluatorKillDrill : IDrill
{
    public string Name => "evaluator-kill";

    public async Task<IReadOnlyList<DrillRow>> RunAsync(DrillContext context, CancellationToken ct)
    {
        var reference = await context.ReferenceModelAsync(serverEval: true, initTask: false, ct);
        await using var federation = await DrillFederation.StartAsync(context.Settings, Name, new FederationLayout(false), ct);
        foreach (var dataset in DrillContext.Datasets) await federation.StartTrainerAsync(dataset, TrainerBehaviour.Honest);
        Task<DrillEvaluator>? replacement = null;
        var dying = await federation.StartEvaluatorAsync(task =>
        {
            if (task.Round != 2) return false;
            replacement = Task.Run(() => federation.StartEvaluatorAsync(), ct);
            return true;
        });
        var config = DrillRunConfig.Create(context.Settings.Seed, await federation.UploadInitialModelAsync(ct), serverEval: true, DrillContext.Datasets.Length);
        var runId = await federation.SubmitAsync(config, ct);
        var events = await RunFollower.FollowAsync(federation.Operator, runId, _ => { }, DrillSettings.RunTimeout, ct);
        const string faults = "evaluator killed holding round 2's evaluate task, a new one started";
        if (dying.DiedHolding is null) return [new DrillRow("Evaluator killed", faults, "the evaluator never pulled round 2's evaluate task", "-", false)];
        if (replacement is not null) await replacement;

        var final = RunFollower.FinalModel(runId, events);
        var problems = new List<string>();
        for (var round = 1; round <= DrillSettings.Rounds; round++)
        {
            var recorded = events.Where(e => e.Kind == RunEventKind.EvaluationRecorded && e.Round == round).ToList();
            if (recorded.Count != 1) problems.Add($"round {round} has {recorded.Count} evaluation events");
            else if (recorded[0].NodeId.Length == 0) problems.Add($"round {round} has no evaluation by an evaluator: \"{recorded[0].Message}\"");
        }
        var result = problems.Count == 0 ? "round 2 evaluated again by the new evaluator; each round evaluated exactly once; run completed"
            : string.Join("; ", problems);
        return [new DrillRow("Evaluator killed", faults, result, DrillRow.HashVerdict(final, reference), problems.Count == 0 && final == reference)];
    }
}
