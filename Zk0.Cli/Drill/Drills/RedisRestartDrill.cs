using System.Collections.Concurrent;
using Grpc.Core;
using Zk0.Cli.Drill.Nodes;
using Zk0.Cli.Drill.Runs;
using Zk0.Cli.Simulation;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Drill.Drills;

/// <summary>
/// Garnet is killed (SIGKILL) mid-round 2 and started again on its port. With its append-only file on
/// (<c>Garnet:DataDirectory</c> + <c>Garnet:Persistence</c>) the run must resume and complete with the undisturbed run's final
/// model. Without persistence the run's state is gone: the drill requires that the SuperLink tells the operator so
/// (a log line naming the run and saying it was lost) and records what it saw.
/// </summary>
public sealed class RedisRestartDrill : IDrill
{
    private static readonly TimeSpan NoticeWait = TimeSpan.FromSeconds(20);

    public string Name => "redis-restart";

    private const string Persistent = "Redis restart, AOF on";
    private const string PersistentFaults = "Garnet kill -9 mid-round 2, restarted with its data folder (Garnet:DataDirectory, Garnet:Persistence=true)";

    public async Task<IReadOnlyList<DrillRow>> RunAsync(DrillContext context, CancellationToken ct)
    {
        return [await WithPersistenceAsync(context, ct), await WithoutPersistenceAsync(context, ct)];
    }

    private async Task<DrillRow> WithPersistenceAsync(DrillContext context, CancellationToken ct)
    {
        var reference = await context.ReferenceModelAsync(serverEval: true, initTask: false, ct);
        var data = Path.Combine(context.Settings.WorkDirectory, $"{Name}-garnet-data");
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        await using var federation = await DrillFederation.StartAsync(context.Settings, $"{Name}-aof",
            new FederationLayout(false, GarnetSettings: new Dictionary<string, string> { ["Garnet:DataDirectory"] = data, ["Garnet:Persistence"] = "true" }), ct);
        foreach (var dataset in DrillContext.Datasets) await federation.StartTrainerAsync(dataset, TrainerBehaviour.Honest);
        await federation.StartEvaluatorAsync();
        var config = DrillRunConfig.Create(context.Settings.Seed, await federation.UploadInitialModelAsync(ct), serverEval: true, DrillContext.Datasets.Length);
        var runId = await federation.SubmitAsync(config, ct);
        FaultedRunResult run;
        try
        {
            run = await FaultedRun.FollowAsync(federation.Operator, runId, (e, assigned, _) => e.Kind == RunEventKind.TaskAssigned && e.Round == 2 && assigned == 1,
                TimeSpan.FromMilliseconds(200), federation.Services.RestartGarnetAsync, ct);
        }
        catch (DrillFailedException e)
        {
            // The other row still runs: it needs its own federation only.
            return new DrillRow(Persistent, PersistentFaults, $"{e.Message} SuperLink's last lines: {LastLines(federation)}", "-", false);
        }
        if (run.FaultAt is null) return new DrillRow(Persistent, PersistentFaults, "the run ended before the kill", "-", false);
        var final = RunFollower.FinalModel(runId, run.Events);
        return new DrillRow(Persistent, PersistentFaults, "run resumed and completed", DrillRow.HashVerdict(final, reference), final == reference);
    }

    private async Task<DrillRow> WithoutPersistenceAsync(DrillContext context, CancellationToken ct)
    {
        const string drill = "Redis restart, no persistence";
        const string faults = "Garnet kill -9 mid-round 2, restarted empty";
        await using var federation = await DrillFederation.StartAsync(context.Settings, $"{Name}-volatile", new FederationLayout(false), ct);
        foreach (var dataset in DrillContext.Datasets) await federation.StartTrainerAsync(dataset, TrainerBehaviour.Honest);
        await federation.StartEvaluatorAsync();
        var config = DrillRunConfig.Create(context.Settings.Seed, await federation.UploadInitialModelAsync(ct), serverEval: true, DrillContext.Datasets.Length);
        var runId = await federation.SubmitAsync(config, ct);
        var events = new ConcurrentQueue<RunEvent>();
        using var following = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var follow = RunFollower.FollowAsync(federation.Operator, runId, events.Enqueue, DrillSettings.RunTimeout, following.Token);
        while (!events.Any(e => e.Kind == RunEventKind.TaskAssigned && e.Round == 2) && !follow.IsCompleted) await Task.Delay(20, ct);
        if (follow.IsCompleted) return new DrillRow(drill, faults, $"the run ended before the kill: {RunFollower.Progress(await follow)}", "-", false);
        await Task.Delay(200, ct);
        await federation.Services.RestartGarnetAsync(ct);

        // What an operator sees: the run's record, and the SuperLink's log.
        var since = DateTime.UtcNow;
        string record;
        bool told;
        do
        {
            await Task.Delay(500, ct);
            record = await RunRecordAsync(federation, runId, ct);
            told = federation.Services.SuperLink.Printed(runId, "lost");
        }
        while (!told && DateTime.UtcNow - since < NoticeWait);
        var outcome = follow.IsCompleted ? (follow.IsCompletedSuccessfully ? $"run ended {(await follow)[^1].Kind}" : $"event stream ended: {follow.Exception?.InnerException?.Message}")
            : $"run still open after {NoticeWait.TotalSeconds:0} s";
        await following.CancelAsync();
        await follow.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        var result = $"{record}; {outcome}; " + (told ? "the SuperLink logged that the run was lost" : $"the SuperLink did NOT say within {NoticeWait.TotalSeconds:0} s that the run's state was lost (no log line naming it with \"lost\"); its last lines: {LastLines(federation)}");
        return new DrillRow(drill, faults, result, "-", told);
    }

    /// <summary>The SuperLink's last few log headlines and exception messages (no stack frames), for a row that says what went wrong.</summary>
    private static string LastLines(DrillFederation federation) =>
        string.Join(" / ", federation.Services.SuperLink.Tail().Split(Environment.NewLine).Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("at ", StringComparison.Ordinal) && !l.StartsWith("---", StringComparison.Ordinal)).TakeLast(4));

    private static async Task<string> RunRecordAsync(DrillFederation federation, string runId, CancellationToken ct)
    {
        try
        {
            var run = await federation.Operator.Control.GetRunAsync(new GetRunRequest { RunId = runId }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct);
            return $"GetRun: {run.Summary.Status}, {run.Summary.CompletedRounds} round(s) completed {run.Summary.Message}".TrimEnd();
        }
        catch (RpcException e)
        {
            return $"GetRun: {e.StatusCode} \"{e.Status.Detail}\"";
        }
    }
}
