using Aspire.Hosting;
using Zk0.AppHost.Authentication;
using Zk0.AppHost.Graph;
using Zk0.Federation.Security;

namespace Zk0.Tests.AppHost.Authentication;

public sealed class LocalNodeKeysTests
{
    [Fact]
    public void EveryLocalNodeAndTheAppHostGetTheirOwnKeyWhosePublicHalfIsInTheFolderTheSuperLinkRegisters()
    {
        using var state = LocalStateDirectory.For(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));

        var keys = LocalNodeKeys.Create(state, nodes: 2);

        var pairs = keys.NodeKeyDirectories.Append(keys.AppHostKeyDirectory).Select(NodeKeyPair.Load).ToList();
        try
        {
            Assert.Equal(3, pairs.Select(p => p.KeyId).Distinct().Count());
            var published = Directory.GetFiles(keys.PublicKeysDirectory, "*.pub").ToDictionary(f => Path.GetFileNameWithoutExtension(f)!, f => NodeKeyId.OfPem(File.ReadAllText(f)));
            Assert.Equal(pairs[0].KeyId, published["supernode-0"]);
            Assert.Equal(pairs[1].KeyId, published["supernode-1"]);
            Assert.Equal(pairs[2].KeyId, published["apphost"]);
            Assert.Equal(3, published.Count);
        }
        finally
        {
            foreach (var pair in pairs) pair.Dispose();
        }
    }
}
