using Grpc.Net.Client;

namespace Zk0.Cli.Simulation;

/// <summary>The gRPC channels synthetic nodes call through: one per <c>nodesPerChannel</c> nodes (1: a connection per node, as real nodes have).</summary>
public sealed class NodeChannels(string address, int nodes, int nodesPerChannel) : IDisposable
{
    private readonly List<GrpcChannel> _channels = Enumerable.Range(0, (nodes + nodesPerChannel - 1) / nodesPerChannel)
        .Select(_ => BenchFederation.Channel(address)).ToList();

    /// <summary>The channel of node <paramref name="node"/> (0-based).</summary>
    public GrpcChannel For(int node) => _channels[node / nodesPerChannel];

    public void Dispose()
    {
        foreach (var channel in _channels) channel.Dispose();
    }
}
