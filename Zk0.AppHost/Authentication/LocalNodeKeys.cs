using Zk0.AppHost.Graph;
using Zk0.Federation.Security;

namespace Zk0.AppHost.Authentication;

/// <summary>
/// Key pairs for the AppHost's own nodes and for the AppHost itself (its run downloads checkpoints over the Fleet API),
/// made fresh in the local state directory at every start. Their public keys go into one folder the SuperLink registers
/// at start (<c>SuperLink:Auth:NodeKeysDirectory</c>), so every local node's key is registered before the node calls.
/// </summary>
public sealed class LocalNodeKeys
{
    private LocalNodeKeys(string publicKeysDirectory, IReadOnlyList<string> nodeKeyDirectories, string appHostKeyDirectory)
    {
        PublicKeysDirectory = publicKeysDirectory;
        NodeKeyDirectories = nodeKeyDirectories;
        AppHostKeyDirectory = appHostKeyDirectory;
    }

    public string PublicKeysDirectory { get; }

    /// <summary>Node i's key folder (its <c>SuperNode:KeyDirectory</c>).</summary>
    public IReadOnlyList<string> NodeKeyDirectories { get; }

    public string AppHostKeyDirectory { get; }

    public static LocalNodeKeys Create(LocalStateDirectory state, int nodes)
    {
        var publicKeys = state.PathFor("node-keys");
        var nodeDirectories = Enumerable.Range(0, nodes).Select(i => CreateKey(state, publicKeys, $"supernode-{i}")).ToList();
        return new LocalNodeKeys(publicKeys, nodeDirectories, CreateKey(state, publicKeys, "apphost"));
    }

    private static string CreateKey(LocalStateDirectory state, string publicKeys, string name)
    {
        var directory = state.PathFor($"{name}-key");
        using var key = NodeKeyPair.Generate();
        key.Save(directory);
        File.Copy(Path.Combine(directory, NodeKeyPair.PublicKeyFileName), Path.Combine(publicKeys, $"{name}.pub"));
        return directory;
    }
}
