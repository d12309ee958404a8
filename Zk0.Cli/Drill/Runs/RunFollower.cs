using Grpc.Core;
using Zk0.Cli.Drill.Nodes;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Drill.Runs;

/// <summary>
/// Follows a run's events through Control.StreamRunEvents until its terminal event, across SuperLink restarts (it
/// reconnects after the last sequence it saw), calling <c>observe</c> with each event as it arrives.
/// </summary>
public static class RunFollower
{
    public static async Task<IReadOnlyList<RunEvent>> FollowAsync(SuperLinkEndpoints endpoints, string runId, Action<RunEvent> observe, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var events = new List<RunEvent>();
        try
        {
            while (true)
            {
                try
                {
                    using var stream = endpoints.Control.StreamRunEvents(new StreamRunEventsRequest { RunId = runId, AfterSequence = events.LastOrDefault()?.Sequence ?? 0 },
                        cancellationToken: limit.Token);
                    await foreach (var e in stream.ResponseStream.ReadAllAsync(limit.Token))
                    {
                        if (events.Count > 0 && e.Sequence <= events[^1].Sequence) continue;
                        events.Add(e);
                        observe(e);
                        if (e.Terminal) return events;
                    }
                }
                catch (RpcException e) when (SuperLinkEndpoints.IsOutage(e, limit.Token))
                {
                    endpoints.Next();
                    await Task.Delay(200, limit.Token);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    throw new DrillFailedException($"run {runId} is no longer known to the SuperLink after {Progress(events)}: {e.Status.Detail}");
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } && !ct.IsCancellationRequested)
        {
            throw new DrillFailedException($"run {runId} did not end within {timeout.TotalSeconds:0} s: {Progress(events)}.");
        }
    }

    /// <summary>Where a run stands, from its events: for a message about a run that hangs or failed.</summary>
    public static string Progress(IReadOnlyList<RunEvent> events)
    {
        var round = events.LastOrDefault(e => e.Kind == RunEventKind.RoundStarted)?.Round ?? 0;
        var last = events.LastOrDefault();
        return $"round {round} has {events.Count(e => e.Round == round && e.Kind == RunEventKind.ResultReceived)} result(s) of " +
            $"{events.Count(e => e.Round == round && e.Kind == RunEventKind.TaskAssigned)} assigned task(s); last event {last?.Kind} {last?.Message}";
    }

    /// <summary>The final model of a completed run; a drill failure naming how the run ended otherwise.</summary>
    public static string FinalModel(string runId, IReadOnlyList<RunEvent> events)
    {
        var last = events[^1];
        if (last.Kind != RunEventKind.RunCompleted)
            throw new DrillFailedException($"run {runId} ended {last.Kind} instead of completing: {last.Message}");
        return last.ModelHash;
    }
}
