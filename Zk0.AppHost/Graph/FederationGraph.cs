namespace Zk0.AppHost.Graph;

/// <summary>What the AppHost's own services need to know about the graph Program.cs declared.</summary>
/// <param name="GatewayPage">Where the live federation page is: the gateway's HTTP endpoint, or its TLS one with --tls.</param>
/// <param name="GatewayCaFile">The CA the gateway's certificate chains to (--tls), null for plain h2c.</param>
public sealed record FederationGraph(
    EndpointReference GatewayGrpc,
    EndpointReference GatewayPage,
    IReadOnlyList<IResourceBuilder<ParameterResource>> NodeDatasets,
    bool ExitWhenDone,
    string? GatewayCaFile = null)
{
    public int Nodes => NodeDatasets.Count;
}
