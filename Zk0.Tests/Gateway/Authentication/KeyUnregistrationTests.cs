using Grpc.Core;
using Zk0.Federation.Protocol;
using Zk0.Federation.Security;

namespace Zk0.Tests.Gateway.Authentication;

/// <summary>An admin unregisters a node's key: the node loses its lease at once and the gateway refuses it from then on.</summary>
public sealed class KeyUnregistrationTests : IAsyncLifetime
{
    private AuthenticatedFederation _federation = null!;

    public async Task InitializeAsync() => _federation = await AuthenticatedFederation.StartAsync();

    public async Task DisposeAsync() => await _federation.DisposeAsync();

    [Fact]
    public async Task AnUnregisteredKeysNodeIsRefusedAndOffline()
    {
        using var key = await _federation.RegisteredKeyAsync("lab-a");
        var fleet = _federation.ThroughGateway(new FleetSigningInterceptor(key)).Fleet;
        var nodeId = (await fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = "ds-a" })).NodeId;
        await fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = nodeId });

        var reply = await _federation.Operator.UnregisterNodeKeyAsync(new UnregisterNodeKeyRequest { KeyId = key.KeyId });

        Assert.Equal([nodeId], reply.NodeIds);
        var node = Assert.Single((await _federation.Operator.ListNodesAsync(new ListNodesRequest { IncludeExpired = true })).Nodes);
        Assert.False(node.Online);
        // The gateway remembers a found key for a few seconds (RegisteredNodeKeys.CacheFor); a minute is far beyond that.
        var giveUp = DateTime.UtcNow.AddMinutes(1);
        RpcException? refused = null;
        while (refused is null)
        {
            Assert.True(DateTime.UtcNow < giveUp, "The gateway still let the unregistered key's node call after a minute.");
            try
            {
                await fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = nodeId });
                await Task.Delay(250);
            }
            catch (RpcException e)
            {
                refused = e;
            }
        }
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.StartsWith($"Node key {key.KeyId} is not registered with this federation", refused.Status.Detail);
    }
}
