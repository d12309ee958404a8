using Zk0.Federation.Protocol;

namespace Zk0.Gateway.FederationPage;

/// <summary>A registered node by its anonymous id and role (its dataset and display name stay off the page).</summary>
public sealed record NodeView(string NodeId, string Role, bool Online, long RegisteredUnixMs, long LeaseExpiresUnixMs)
{
    public static NodeView From(NodeInfo node) => new(node.NodeId, node.Role, node.Online, node.RegisteredUnixMs, node.LeaseExpiresUnixMs);
}
