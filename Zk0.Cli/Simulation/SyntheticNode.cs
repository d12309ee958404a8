using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Simulation;

/// <summary>How often a synthetic node calls: a pull every <paramref name="PullInterval"/> (zero: a long poll, as SuperNodes pull), a heartbeat every <paramref name="HeartbeatInterval"/>.</summary>
public sealed record NodeCadence(TimeSpan PullInterval, TimeSpan HeartbeatInterval);

/// <summary>
/// A node that speaks the real Fleet API but does no training: a train task is answered with whatever update
/// <c>answer</c> produces (uploaded or staged), at once. Records its call latencies and failures.
/// </summary>
public sealed class SyntheticNode(Fleet.FleetClient fleet, string datasetId, long numExamples)
{
    private static readonly TimeSpan LongPollWait = TimeSpan.FromSeconds(10);

    public Fleet.FleetClient Fleet => fleet;
    public string NodeId { get; private set; } = "";
    public int TasksAnswered { get; private set; }
    /// <summary>What the node is doing now (pulling, answering, pushing), for a report when a run does not end.</summary>
    public string Activity { get; private set; } = "registering";
    public ConcurrentQueue<string> Failures { get; } = new();

    /// <summary>Runs <paramref name="whileServing"/> while every node serves tasks (<paramref name="serve"/> starts node i's loop), then stops them.</summary>
    public static async Task<T> WhileServingAsync<T>(IReadOnlyList<SyntheticNode> nodes, Func<SyntheticNode, int, CancellationToken, Task> serve,
        Func<Task<T>> whileServing, CancellationToken ct)
    {
        using var serving = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loops = nodes.Select((node, i) => serve(node, i, serving.Token)).ToList();
        try
        {
            return await whileServing();
        }
        finally
        {
            await serving.CancelAsync();
            await Task.WhenAll(loops);
        }
    }

    /// <summary>Throws when any node's call failed: a figure measured with failing nodes would mean nothing.</summary>
    public static void ThrowIfAnyFailed(IEnumerable<SyntheticNode> nodes)
    {
        var failures = nodes.SelectMany(n => n.Failures).ToList();
        if (failures.Count > 0) throw new InvalidOperationException($"{failures.Count} node call(s) failed, first: {failures[0]}");
    }

    public async Task RegisterAsync(CancellationToken ct)
    {
        var reply = await fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = datasetId, Role = "trainer", NumExamples = numExamples, DisplayName = datasetId }, cancellationToken: ct);
        NodeId = reply.NodeId;
    }

    /// <summary>Pulls and answers train tasks until <paramref name="ct"/> is cancelled; latencies of pulls and heartbeats go to <paramref name="latencies"/>.</summary>
    public async Task ServeAsync(Func<FederatedTask, CancellationToken, Task<string>> answer, NodeCadence cadence, ConcurrentBag<double>? latencies, CancellationToken ct)
    {
        var nextHeartbeat = Stopwatch.GetTimestamp() + (long)(cadence.HeartbeatInterval.TotalSeconds * Random.Shared.NextDouble() * Stopwatch.Frequency);
        // Spread the first pulls over one interval, as nodes started at different times would.
        try
        {
            await Task.Delay(cadence.PullInterval * Random.Shared.NextDouble(), ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (Stopwatch.GetTimestamp() >= nextHeartbeat)
                {
                    await Timed(() => fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = NodeId }, cancellationToken: ct).ResponseAsync, latencies);
                    nextHeartbeat = Stopwatch.GetTimestamp() + (long)(cadence.HeartbeatInterval.TotalSeconds * Stopwatch.Frequency);
                }
                Activity = "pulling";
                var request = cadence.PullInterval > TimeSpan.Zero ? new PullTaskRequest { NodeId = NodeId } : PullTaskRequest.LongPoll(NodeId, LongPollWait);
                var pulled = await Timed(() => fleet.PullTaskAsync(request, deadline: request.AnswerDeadline(), cancellationToken: ct).ResponseAsync, latencies);
                if (pulled.Task is { Kind: TaskKind.Train } task)
                {
                    Activity = $"answering {task.TaskId}";
                    var update = await answer(task, ct);
                    Activity = $"pushing {task.TaskId}";
                    await fleet.PushResultAsync(new PushResultRequest
                    {
                        NodeId = NodeId, TaskId = task.TaskId, RunId = task.RunId, UpdateHash = update, NumExamples = numExamples,
                        Metrics = { ["loss"] = 1.0 },
                    }, cancellationToken: ct);
                    TasksAnswered++;
                    continue;
                }
                if (cadence.PullInterval > TimeSpan.Zero) await Task.Delay(cadence.PullInterval, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e)
            {
                Failures.Enqueue($"{e.StatusCode}: {e.Status.Detail}");
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private static async Task<T> Timed<T>(Func<Task<T>> call, ConcurrentBag<double>? latencies)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await call().ConfigureAwait(false);
        latencies?.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        return result;
    }
}
