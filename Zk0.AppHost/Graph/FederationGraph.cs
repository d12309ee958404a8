namespace Zk0.AppHost.Graph;

/// <summary>What the AppHost's own services need to know about the graph Program.cs declared.</summary>
/// <param name="GatewayCaFile">The CA the gateway's certificate chains to (--tls), null for plain h2c.</param>
public sealed record FederationGraph(
    EndpointReference GatewayGrpc,
    IReadOnlyList<IResourceBuilder<ParameterResource>> NodeDatasets,
    bool ExitWhenDone,
    string? GatewayCaFile = null)
{
    public int Nodes => NodeDatasets.Count;
}
