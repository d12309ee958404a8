using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Zk0.Cli.Simulation;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Drill.Nodes;

/// <summary>
/// The SuperLink addresses a drill's node or operator knows (one, or each replica's), with the one in use; a call that
/// finds no SuperLink there moves to the next, as a client behind a load balancer would be moved.
/// </summary>
public sealed class SuperLinkEndpoints : IDisposable
{
    private static readonly TimeSpan PullWait = TimeSpan.FromSeconds(2);
    /// <summary>The pause before a call that found no SuperLink is made again.</summary>
    public static readonly TimeSpan OutageRetry = TimeSpan.FromMilliseconds(200);
    private readonly List<GrpcChannel> _channels;
    private int _current;

    public SuperLinkEndpoints(IReadOnlyList<string> addresses, int first = 0)
    {
        _channels = addresses.Select(BenchFederation.Channel).ToList();
        _current = first % _channels.Count;
    }

    public Fleet.FleetClient Fleet => new(_channels[_current]);
    public Control.ControlClient Control => new(_channels[_current]);

    /// <summary>
    /// Whether the call failed because no SuperLink (or no Redis behind it) answered: the process died, is restarting, or
    /// lost its state store. Such a call is repeated; anything else is the SuperLink's answer.
    /// </summary>
    public static bool IsOutage(Exception e, CancellationToken ct) => e switch
    {
        RpcException rpc => ConnectionLoss.Is(rpc, ct),
        // A client stream (an upload) whose connection dropped fails on its next write, outside gRPC's status codes.
        IOException or HttpRequestException => !ct.IsCancellationRequested,
        _ => false,
    };

    /// <summary>
    /// One long-poll pull as a drill node makes it. Null when it brought no answer to act on: the SuperLink no longer knew
    /// the node (it registered again), was away (the next address is tried after a pause), or refused the call (kept in
    /// <paramref name="refusals"/> for the drill's report; a node keeps pulling, as the SuperNode does).
    /// </summary>
    public async Task<PullTaskReply?> PullAsync(string nodeId, Func<Task> registerAgain, ConcurrentQueue<RpcException> refusals, CancellationToken ct)
    {
        try
        {
            var request = PullTaskRequest.LongPoll(nodeId, PullWait);
            return await Fleet.PullTaskAsync(request, deadline: request.AnswerDeadline(), cancellationToken: ct);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            await registerAgain();
        }
        catch (RpcException e) when (IsOutage(e, ct) || e.StatusCode == StatusCode.DeadlineExceeded)
        {
            Next();
            await Task.Delay(OutageRetry, ct);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            refusals.Enqueue(e);
            await Task.Delay(OutageRetry, ct);
        }
        return null;
    }

    /// <summary>
    /// Makes <paramref name="answer"/> (a task's result or evaluation) until the SuperLink accepts it, again on the next
    /// address while none answers and the task's deadline has not passed. False when the SuperLink refused it (the refusal
    /// is kept in <paramref name="refusals"/>) or the deadline passed.
    /// </summary>
    public async Task<bool> AnswerAsync(FederatedTask task, Func<Task> answer, ConcurrentQueue<RpcException> refusals, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await answer();
                return true;
            }
            catch (Exception e) when (IsOutage(e, ct) && DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < task.DeadlineUnixMs)
            {
                Next();
                await Task.Delay(OutageRetry, ct);
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
            {
                refusals.Enqueue(e);
                return false;
            }
        }
    }

    /// <summary>Moves to the next address (after an outage).</summary>
    public void Next() => _current = (_current + 1) % _channels.Count;

    public void Dispose()
    {
        foreach (var channel in _channels) channel.Dispose();
    }
}
