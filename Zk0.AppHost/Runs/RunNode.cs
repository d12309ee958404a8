using Zk0.Federation.Protocol;

namespace Zk0.AppHost.Runs;

/// <summary>A local node of the run: the dataset the AppHost gave it and the anonymous id it reports (empty until it has registered).</summary>
public sealed record RunNode(int NodeIndex, string DatasetUri, string DatasetId, string NodeId)
{
    /// <summary>Matches the AppHost's nodes (by their display name) to the nodes the Control API lists.</summary>
    public static IReadOnlyList<RunNode> Match(IReadOnlyList<string> datasetUris, IEnumerable<NodeInfo> registered)
    {
        var byName = registered
            .GroupBy(n => n.DisplayName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(n => n.RegisteredUnixMs).First(), StringComparer.Ordinal);
        return datasetUris.Select((uri, i) => byName.TryGetValue(NodeDatasets.DisplayName(i), out var node)
                ? new RunNode(i, uri, node.DatasetId, node.NodeId)
                : new RunNode(i, uri, "", ""))
            .ToList();
    }
}
