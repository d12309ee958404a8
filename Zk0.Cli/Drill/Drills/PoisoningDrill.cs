using Zk0.Cli.Drill.Nodes;
using Zk0.Cli.Drill.Runs;
using Zk0.Cli.Simulation;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Drill.Drills;

/// <summary>
/// An attacker trainer joins three honest ones. Its dataset id sorts first, so it is given the init task (it answers
/// random bytes); in the rounds it sends NaN, +infinity, 1000.0 with num_examples 10^12, and a model without tensors.
/// Every one of these must be rejected (a rejected update weighs nothing in FedAvg), so the run must complete with the
/// final model of a run of the honest nodes alone, whose initial model the first honest node built from the same seed.
/// </summary>
public sealed class PoisoningDrill : IDrill
{
    private const string Attacker = "0-attacker";

    public string Name => "poisoning";

    public async Task<IReadOnlyList<DrillRow>> RunAsync(DrillContext context, CancellationToken ct)
    {
        var reference = await context.ReferenceModelAsync(serverEval: false, initTask: true, ct);
        await using var federation = await DrillFederation.StartAsync(context.Settings, Name, new FederationLayout(false), ct);
        var attacker = await federation.StartTrainerAsync(Attacker, TrainerBehaviour.Attacker);
        foreach (var dataset in DrillContext.Datasets) await federation.StartTrainerAsync(dataset, TrainerBehaviour.Honest);
        var config = DrillRunConfig.Create(context.Settings.Seed, initialModel: null, serverEval: false, minTrainNodes: DrillContext.Datasets.Length + 1);
        var runId = await federation.SubmitAsync(config, ct);
        var events = await RunFollower.FollowAsync(federation.Operator, runId, _ => { }, DrillSettings.RunTimeout, ct);
        var final = RunFollower.FinalModel(runId, events);
        var rejected = events.Count(e => e.Kind is RunEventKind.ResultRejected or RunEventKind.NodeMissedDeadline && e.NodeId == attacker.NodeId);
        const string faults = "random-bytes initial model; NaN, +Inf, 1000.0 × num_examples 1e12, empty tensor set";
        var result = $"{rejected} attacker answer(s) rejected in the run's events, {attacker.Refusals.Count} refused at the edge; run completed";
        return [new DrillRow("poisoning", faults, result, DrillRow.HashVerdict(final, reference), final == reference)];
    }
}
