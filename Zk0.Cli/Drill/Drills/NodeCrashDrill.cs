using System.Globalization;
using Zk0.Cli.Drill.Nodes;
using Zk0.Cli.Drill.Runs;
using Zk0.Cli.Simulation;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Drill.Drills;

/// <summary>
/// A trainer dies right after pulling its round-2 task (no heartbeat, no answer, ever). The round must close when its
/// lease expires, with the other nodes' updates, not at the round timeout; once the round closed the node is started again
/// (a new registration) and must be selected in a later round; the run completes. Tolerating the loss needs
/// min-train-nodes below the node count.
/// </summary>
public sealed class NodeCrashDrill : IDrill
{
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(30);
    /// <summary>Slack over the lease: the SuperLink notices an expired lease at its next look (poll interval 1 s).</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    public string Name => "node-crash";

    public async Task<IReadOnlyList<DrillRow>> RunAsync(DrillContext context, CancellationToken ct)
    {
        await using var federation = await DrillFederation.StartAsync(context.Settings, Name, new FederationLayout(false), ct);
        var victim = DrillContext.Datasets[^1];
        foreach (var dataset in DrillContext.Datasets[..^1]) await federation.StartTrainerAsync(dataset, TrainerBehaviour.Honest);
        var life = new CancellationTokenSource();
        DateTimeOffset? killedAt = null;
        var crashed = await federation.StartTrainerAsync(victim, TrainerBehaviour.Honest, life, task =>
        {
            if (task.Round != 2 || killedAt is not null) return;
            killedAt = DateTimeOffset.UtcNow;
            life.Cancel();
        });
        var config = DrillRunConfig.Create(context.Settings.Seed, await federation.UploadInitialModelAsync(ct), serverEval: false,
            minTrainNodes: DrillContext.Datasets.Length - 1, RoundTimeout);
        var runId = await federation.SubmitAsync(config, ct);
        Task<DrillTrainer>? restart = null;
        var events = await RunFollower.FollowAsync(federation.Operator, runId, e =>
        {
            if (e.Kind == RunEventKind.ModelCommitted && e.Round == 2) restart ??= federation.StartTrainerAsync(victim, TrainerBehaviour.Honest);
        }, DrillSettings.RunTimeout, ct);
        var restarted = restart is null ? null : await restart;
        var faults = $"{victim} killed after pulling its round-2 task, restarted after the round closed";
        if (killedAt is not { } killed) return [new DrillRow("SuperNode killed mid-round", faults, $"{victim} never pulled a round-2 task", "-", false)];

        RunFollower.FinalModel(runId, events);
        var committed = DateTimeOffset.FromUnixTimeMilliseconds(events.First(e => e.Kind == RunEventKind.ModelCommitted && e.Round == 2).UnixMs);
        var closedAfter = committed - killed;
        var rejoined = restarted is not null && events.Any(e => e.Kind == RunEventKind.TaskAssigned && e.Round > 2 && e.NodeId == restarted.NodeId);
        var closedInTime = closedAfter <= DrillSettings.NodeLease + Slack;
        var result = $"round 2 closed {closedAfter.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s after the kill " +
            $"(lease {DrillSettings.NodeLease.TotalSeconds:0} s, round timeout {RoundTimeout.TotalSeconds:0} s)" +
            (closedInTime ? "" : $": it must close within the lease + {Slack.TotalSeconds:0} s") +
            (rejoined ? $"; {victim} rejoined as {restarted!.NodeId} ≠ {crashed.NodeId} and was selected again" : $"; {victim} was NOT selected again after restarting") +
            "; run completed";
        return [new DrillRow("SuperNode killed mid-round", faults, result, "-", closedInTime && rejoined)];
    }
}
