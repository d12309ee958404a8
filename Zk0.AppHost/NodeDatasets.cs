namespace Zk0.AppHost;

/// <summary>Which dataset each local SuperNode trains on: by default synthetic task i for node i.</summary>
public static class NodeDatasets
{
    public static string Default(int nodeIndex) => $"synth:{nodeIndex}";
}
