using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;
using Zk0.Cli.Drill.Nodes;
using Zk0.Cli.Drill.Runs;
using Zk0.Cli.Simulation;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Drill.Drills;

/// <summary>
/// Two SuperLink replicas share Garnet and the blob folder; nodes are spread over both and move to the other when theirs
/// stops answering. The replica that holds the run's leadership lease is killed (SIGKILL) mid-round and not restarted;
/// the other must take the lease within the lease time and complete the run with the undisturbed run's final model.
/// </summary>
public sealed class LeaderTakeoverDrill : IDrill
{
    /// <summary>Slack over the lease for the survivor's next look for runs (its poll interval) and this drill's polling.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    public string Name => "leader-takeover";

    public async Task<IReadOnlyList<DrillRow>> RunAsync(DrillContext context, CancellationToken ct)
    {
        var reference = await context.ReferenceModelAsync(serverEval: true, initTask: false, ct);
        await using var federation = await DrillFederation.StartAsync(context.Settings, Name, new FederationLayout(false, SuperLinkReplicas: 2), ct);
        foreach (var dataset in DrillContext.Datasets) await federation.StartTrainerAsync(dataset, TrainerBehaviour.Honest);
        await federation.StartEvaluatorAsync();
        var config = DrillRunConfig.Create(context.Settings.Seed, await federation.UploadInitialModelAsync(ct), serverEval: true, DrillContext.Datasets.Length);
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{federation.Services.RedisPort}");

        var runId = await federation.SubmitAsync(config, ct);
        var leader = -1;
        TimeSpan? takeover = null;
        var run = await FaultedRun.FollowAsync(federation.Operator, runId,
            (e, assigned, _) => e.Kind == RunEventKind.TaskAssigned && e.Round == 2 && assigned == 1, TimeSpan.FromMilliseconds(200), async t =>
            {
                leader = await LeaderAsync(redis, federation.Services, runId)
                    ?? throw new DrillFailedException($"no replica holds the leadership lease of run {runId} (key zk0:run:{runId}:leader) while its round 2 runs.");
                federation.Services.KillSuperLink(leader);
                var since = Stopwatch.StartNew();
                while (since.Elapsed < DrillSettings.LeadershipLease + Slack)
                {
                    if (await LeaderAsync(redis, federation.Services, runId) is { } holder && holder != leader)
                    {
                        takeover = since.Elapsed;
                        return;
                    }
                    await Task.Delay(100, t);
                }
            }, ct);
        var faults = "kill -9 of the leading replica mid-round 2 (of 2)";
        if (run.FaultAt is null) return [new DrillRow("leader takeover", faults, "the run ended before the kill", "-", false)];
        var final = RunFollower.FinalModel(runId, run.Events);
        var took = takeover is { } s ? $"replica {1 - leader} took the lease in {s.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s (lease {DrillSettings.LeadershipLease.TotalSeconds:0} s)"
            : $"NO replica took the lease within {(DrillSettings.LeadershipLease + Slack).TotalSeconds:0} s";
        return [new DrillRow("leader takeover", faults, $"{took}; run completed", DrillRow.HashVerdict(final, reference), takeover is not null && final == reference)];
    }

    /// <summary>Which replica holds the run's leadership lease: its value is the replica id, which names the replica's process id.</summary>
    private static async Task<int?> LeaderAsync(ConnectionMultiplexer redis, BenchFederation services, string runId)
    {
        var holder = (string?)await redis.GetDatabase().StringGetAsync($"zk0:run:{runId}:leader");
        if (holder is null) return null;
        for (var replica = 0; replica < services.SuperLinks.Count; replica++)
            if (holder.Contains($"-{services.SuperLinks[replica].ProcessId}-", StringComparison.Ordinal)) return replica;
        throw new DrillFailedException($"the leadership lease of run {runId} is held by '{holder}', which names neither replica's process ({string.Join(", ", services.SuperLinks.Select(s => s.ProcessId))}).");
    }
}
