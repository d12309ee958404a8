using System.Globalization;
using Grpc.Core;
using Zk0.Cli.Drill.Nodes;
using Zk0.Cli.Drill.Runs;
using Zk0.Cli.Simulation;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Drill.Drills;

/// <summary>
/// Beside two honest trainers, one whose uploads are throttled (its update needs longer than the round) and one that pulls
/// its task and then hangs forever while keeping its lease. Every round must close by its deadline with the honest
/// updates, and the slow node's late result must be refused politely: DeadlineExceeded or FailedPrecondition, with a message.
/// </summary>
public sealed class SlowAndHungNodeDrill : IDrill
{
    private const int Rounds = 2;
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(5);
    /// <summary>Slack over the deadline: the round loop looks at least once a second, then folds and commits.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2.5);

    public string Name => "slow-and-hung";

    public async Task<IReadOnlyList<DrillRow>> RunAsync(DrillContext context, CancellationToken ct)
    {
        await using var federation = await DrillFederation.StartAsync(context.Settings, Name, new FederationLayout(false), ct);
        foreach (var dataset in DrillContext.Datasets[..2]) await federation.StartTrainerAsync(dataset, TrainerBehaviour.Honest);
        // Throttled so that one update takes about 1.6 round timeouts.
        var slow = await federation.StartTrainerAsync("drill-slow", TrainerBehaviour.Slow);
        var hung = await federation.StartTrainerAsync("drill-hung", TrainerBehaviour.Hung);
        var config = DrillRunConfig.Create(context.Settings.Seed, await federation.UploadInitialModelAsync(ct), serverEval: false, minTrainNodes: 4, RoundTimeout, Rounds);
        var runId = await federation.SubmitAsync(config, ct);
        var events = await RunFollower.FollowAsync(federation.Operator, runId, _ => { }, DrillSettings.RunTimeout, ct);
        RunFollower.FinalModel(runId, events);

        var overruns = new List<string>();
        var durations = new List<string>();
        for (var round = 1; round <= Rounds; round++)
        {
            var started = events.First(e => e.Kind == RunEventKind.RoundStarted && e.Round == round).UnixMs;
            var committed = events.First(e => e.Kind == RunEventKind.ModelCommitted && e.Round == round).UnixMs;
            var seconds = TimeSpan.FromMilliseconds(committed - started);
            durations.Add(seconds.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");
            if (seconds > RoundTimeout + Slack) overruns.Add($"round {round} took {seconds.TotalSeconds:0.0} s, past its {RoundTimeout.TotalSeconds:0} s deadline");
        }
        var refusal = await FirstRefusalAsync(slow, ct);
        var polite = refusal is { StatusCode: StatusCode.DeadlineExceeded or StatusCode.FailedPrecondition } && refusal.Status.Detail.Length > 0;
        var refused = refusal is null ? "the slow node's late result was NOT refused within 30 s"
            : $"late result refused: {refusal.StatusCode} \"{refusal.Status.Detail}\"" + (polite ? "" : " (expected DeadlineExceeded or FailedPrecondition with a message)");
        var faults = $"upload throttled to {slow.SlowUploadBytesPerSecond / 1024} KiB/s; {hung.DatasetId} hangs after pulling; round timeout {RoundTimeout.TotalSeconds:0} s";
        var result = $"rounds took {string.Join(", ", durations)}{(overruns.Count > 0 ? ": " + string.Join("; ", overruns) : "")}; {refused}; run completed";
        return [new DrillRow("slow node + hung node", faults, result, "-", overruns.Count == 0 && polite)];
    }

    private static async Task<RpcException?> FirstRefusalAsync(DrillTrainer slow, CancellationToken ct)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            if (slow.Refusals.TryPeek(out var refusal)) return refusal;
            await Task.Delay(100, ct);
        }
        return null;
    }
}
