using Zk0.Datasets.Simulation;

namespace Zk0.AppHost;

/// <summary>Which dataset each local SuperNode trains on: by default the built-in synthetic task i for node i.</summary>
public static class NodeDatasets
{
    public static string Default(int nodeIndex) => SyntheticDatasetUri.ForNode(nodeIndex).ToString();
}
