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
        RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown || rpc.StatusCode == StatusCode.Cancelled && !ct.IsCancellationRequested,
        // A client stream (an upload) whose connection dropped fails on its next write, outside gRPC's status codes.
        IOException or HttpRequestException => !ct.IsCancellationRequested,
        _ => false,
    };

    /// <summary>Moves to the next address (after an outage).</summary>
    public void Next() => _current = (_current + 1) % _channels.Count;

    public void Dispose()
    {
        foreach (var channel in _channels) channel.Dispose();
    }
}
