namespace Zk0.AppHost.Graph;

/// <summary>What the AppHost's own services need to know about the graph Program.cs declared.</summary>
public sealed record FederationGraph(
    EndpointReference GatewayGrpc,
    IReadOnlyList<IResourceBuilder<ParameterResource>> NodeDatasets,
    bool ExitWhenDone)
{
    public int Nodes => NodeDatasets.Count;
}
