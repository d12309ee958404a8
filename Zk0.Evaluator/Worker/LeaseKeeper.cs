using Grpc.Core;
using Zk0.Federation.Protocol;

namespace Zk0.Evaluator.Worker;

/// <summary>
/// Heartbeats while the Evaluator is busy with a task. Scoring may outlast the lease, and an evaluator whose lease lapses
/// looks dead: the SuperLink hands its evaluate task to another evaluator.
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task _beating;

    private LeaseKeeper(Federation.Protocol.Fleet.FleetClient fleet, string nodeId, TimeSpan interval, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _beating = BeatAsync(fleet, nodeId, interval, _stop.Token);
    }

    public static LeaseKeeper Start(Federation.Protocol.Fleet.FleetClient fleet, string nodeId, TimeSpan interval, CancellationToken cancellationToken) =>
        new(fleet, nodeId, interval, cancellationToken);

    private static async Task BeatAsync(Federation.Protocol.Fleet.FleetClient fleet, string nodeId, TimeSpan interval, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, stop);
                try
                {
                    await fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = nodeId }, cancellationToken: stop);
                }
                catch (RpcException) when (!stop.IsCancellationRequested)
                {
                    // The next beat tries again; a node the SuperLink forgot learns it at its next pull and registers anew.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _beating;
        _stop.Dispose();
    }
}
