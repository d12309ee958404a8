using Zk0.Datasets.Simulation;

namespace Zk0.AppHost;

/// <summary>Which dataset each local SuperNode trains on: by default the built-in synthetic task i for node i.</summary>
public static class NodeDatasets
{
    public static string Default(int nodeIndex) => SyntheticDatasetUri.ForNode(nodeIndex).ToString();

    /// <summary>The default dataset of each of <paramref name="nodes"/> local nodes, by node index.</summary>
    public static IReadOnlyList<string> ForNodes(int nodes) => Enumerable.Range(0, nodes).Select(Default).ToList();

    /// <summary>The display name local node i registers with (how the AppHost tells its nodes apart in the Control API).</summary>
    public static string DisplayName(int nodeIndex) => $"node-{nodeIndex}";
}
