using Zk0.Cli.Drill.Nodes;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Drill.Runs;

/// <summary>A run's events and when its fault was injected (null: the run ended before the moment came).</summary>
public sealed record FaultedRunResult(IReadOnlyList<RunEvent> Events, DateTimeOffset? FaultAt);

/// <summary>Follows a run and injects one fault at the moment its events mark, while the run goes on.</summary>
public static class FaultedRun
{
    /// <param name="trigger">Given an event and the counts of its round's task assignments and results so far (this event included).</param>
    /// <param name="fault">The fault (a kill, a restart); it runs beside the run, and the run is followed to its end.</param>
    public static async Task<FaultedRunResult> FollowAsync(SuperLinkEndpoints endpoints, string runId, Func<RunEvent, int, int, bool> trigger, TimeSpan delay,
        Func<CancellationToken, Task> fault, CancellationToken ct)
    {
        var assigned = new Dictionary<int, int>();
        var results = new Dictionary<int, int>();
        Task? injected = null;
        DateTimeOffset? faultAt = null;
        var events = await RunFollower.FollowAsync(endpoints, runId, e =>
        {
            if (e.Kind == RunEventKind.TaskAssigned) assigned[e.Round] = assigned.GetValueOrDefault(e.Round) + 1;
            if (e.Kind == RunEventKind.ResultReceived) results[e.Round] = results.GetValueOrDefault(e.Round) + 1;
            if (injected is not null || e.Terminal || !trigger(e, assigned.GetValueOrDefault(e.Round), results.GetValueOrDefault(e.Round))) return;
            injected = Task.Run(async () =>
            {
                await Task.Delay(delay, ct);
                faultAt = DateTimeOffset.UtcNow;
                await fault(ct);
            }, ct);
        }, DrillSettings.RunTimeout, ct);
        if (injected is not null) await injected;
        // A fault timed after the run's end was not injected into the run.
        var ended = DateTimeOffset.FromUnixTimeMilliseconds(events[^1].UnixMs);
        return new FaultedRunResult(events, faultAt is { } at && at < ended ? at : null);
    }
}
