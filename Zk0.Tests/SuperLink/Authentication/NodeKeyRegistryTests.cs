using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;
using Zk0.Federation.Security;
using Zk0.SuperLink.Hosting;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.SuperLink.Authentication;

/// <summary>
/// The SuperLink's node key registry (Control RegisterNodeKey / ListNodeKeys / UnregisterNodeKey) and what node
/// authentication asks of registering nodes, called on the SuperLink itself, where the gateway's verified key id arrives.
/// </summary>
public sealed class NodeKeyRegistryTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    private Task<FederationScenario> StartAsync(Action<SuperLinkAuthOptions>? configure = null) =>
        FederationScenario.StartAsync(redis, services => services.Configure<SuperLinkOptions>(o =>
        {
            o.Auth.NodeAuthentication = true;
            configure?.Invoke(o.Auth);
        }));

    private static Metadata VerifiedAs(string keyId) => new() { { FleetRequestSignature.VerifiedKeyIdHeader, keyId } };

    private static async Task<string> RegisterNodeAsync(FederationScenario scenario, NodeKeyPair key, string dataset) =>
        (await scenario.Host.Fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = dataset }, VerifiedAs(key.KeyId))).NodeId;

    [Fact]
    public async Task AKeyThatIsNotAPemPublicKeyIsRefusedAndNothingIsStored()
    {
        await using var scenario = await StartAsync();
        var control = scenario.Host.Control;

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            control.RegisterNodeKeyAsync(new RegisterNodeKeyRequest { PublicKeyPem = "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----", Name = "lab" }).ResponseAsync);
        var empty = await Assert.ThrowsAsync<RpcException>(() => control.RegisterNodeKeyAsync(new RegisterNodeKeyRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("public_key_pem is not a PEM ECDSA public key", refused.Status.Detail);
        Assert.Contains("register the node.pub that `zk0 node keygen` wrote", refused.Status.Detail);
        Assert.Equal("public_key_pem is empty: send the node.pub that `zk0 node keygen` wrote.", empty.Status.Detail);
        Assert.Empty((await control.ListNodeKeysAsync(new ListNodeKeysRequest())).Keys);
    }

    [Fact]
    public async Task RegisteringTheSameKeyAgainChangesNothing()
    {
        await using var scenario = await StartAsync();
        var control = scenario.Host.Control;
        using var key = NodeKeyPair.Generate();

        var first = await control.RegisterNodeKeyAsync(new RegisterNodeKeyRequest { PublicKeyPem = key.PublicKeyPem, Name = "lab-a" });
        var again = await control.RegisterNodeKeyAsync(new RegisterNodeKeyRequest { PublicKeyPem = "\n" + key.PublicKeyPem + "\n", Name = "renamed" });

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Key, again.Key);
        var listed = Assert.Single((await control.ListNodeKeysAsync(new ListNodeKeysRequest())).Keys);
        Assert.Equal(key.KeyId, listed.KeyId);
        Assert.Equal("lab-a", listed.Name);
        Assert.Equal(key.KeyId, NodeKeyId.OfPem(listed.PublicKeyPem));
    }

    [Fact]
    public async Task UnregisteringAnUnknownOrMalformedKeyIdSaysHowToListThem()
    {
        await using var scenario = await StartAsync();
        var control = scenario.Host.Control;
        using var key = NodeKeyPair.Generate();

        var unknown = await Assert.ThrowsAsync<RpcException>(() => control.UnregisterNodeKeyAsync(new UnregisterNodeKeyRequest { KeyId = key.KeyId }).ResponseAsync);
        var malformed = await Assert.ThrowsAsync<RpcException>(() => control.UnregisterNodeKeyAsync(new UnregisterNodeKeyRequest { KeyId = "lab-a" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal($"No registered node key '{key.KeyId}'; `zk0 node ls` lists them.", unknown.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.StartsWith("key_id 'lab-a' is not a node key id", malformed.Status.Detail);
    }

    [Fact]
    public async Task UnregisteringAKeyEndsTheLeasesOfItsNodesOnly()
    {
        await using var scenario = await StartAsync();
        var control = scenario.Host.Control;
        using var keyA = NodeKeyPair.Generate();
        using var keyB = NodeKeyPair.Generate();
        foreach (var key in new[] { keyA, keyB }) await control.RegisterNodeKeyAsync(new RegisterNodeKeyRequest { PublicKeyPem = key.PublicKeyPem });
        var nodeA = await RegisterNodeAsync(scenario, keyA, "ds-a");
        var nodeB = await RegisterNodeAsync(scenario, keyB, "ds-b");

        var reply = await control.UnregisterNodeKeyAsync(new UnregisterNodeKeyRequest { KeyId = keyA.KeyId });

        Assert.Equal([nodeA], reply.NodeIds);
        var nodes = (await control.ListNodesAsync(new ListNodesRequest { IncludeExpired = true })).Nodes.ToDictionary(n => n.NodeId);
        Assert.False(nodes[nodeA].Online);
        Assert.True(nodes[nodeB].Online);
        Assert.Equal(keyA.KeyId, nodes[nodeA].KeyId);
        Assert.Equal(keyB.KeyId, nodes[nodeB].KeyId);
        Assert.Equal(keyB.KeyId, Assert.Single((await control.ListNodeKeysAsync(new ListNodeKeysRequest())).Keys).KeyId);
    }

    [Fact]
    public async Task ATrainerWithoutAVerifiedKeyIsRefusedAndNotRecorded()
    {
        await using var scenario = await StartAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            scenario.Host.Fleet.RegisterNodeAsync(new RegisterNodeRequest { DatasetId = "ds-a" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.StartsWith("RegisterNode came without a verified node key, but this SuperLink requires node authentication", refused.Status.Detail);
        Assert.Empty((await scenario.Host.Control.ListNodesAsync(new ListNodesRequest { IncludeExpired = true })).Nodes);
    }

    [Fact]
    public async Task CallsForANodeMustComeWithTheKeyItRegisteredWith()
    {
        await using var scenario = await StartAsync();
        using var keyA = NodeKeyPair.Generate();
        using var keyB = NodeKeyPair.Generate();
        var nodeA = await RegisterNodeAsync(scenario, keyA, "ds-a");
        var fleet = scenario.Host.Fleet;

        await fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = nodeA }, VerifiedAs(keyA.KeyId));
        var asB = await Assert.ThrowsAsync<RpcException>(() => fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = nodeA }, VerifiedAs(keyB.KeyId)).ResponseAsync);
        var withoutKey = await Assert.ThrowsAsync<RpcException>(() => fleet.PullTaskAsync(new PullTaskRequest { NodeId = nodeA }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, asB.StatusCode);
        Assert.Equal($"Node '{nodeA}' was registered with another key than {keyB.KeyId}: a node calls only for the node id it registered itself.", asB.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, withoutKey.StatusCode);
        Assert.StartsWith($"Node '{nodeA}' was registered with node key {keyA.KeyId}, but this call came without a verified key", withoutKey.Status.Detail);
    }

    [Fact]
    public async Task KeysInTheNodeKeysDirectoryAreRegisteredAtStartNamedAfterTheirFiles()
    {
        var directory = Directory.CreateTempSubdirectory("zk0-node-keys-").FullName;
        try
        {
            using var key = NodeKeyPair.Generate();
            await File.WriteAllTextAsync(Path.Combine(directory, "supernode-0.pub"), key.PublicKeyPem);
            await File.WriteAllTextAsync(Path.Combine(directory, "README"), "not a key, not read");
            await using var scenario = await StartAsync(auth => auth.NodeKeysDirectory = directory);

            var listed = Assert.Single((await scenario.Host.Control.ListNodeKeysAsync(new ListNodeKeysRequest())).Keys);

            Assert.Equal(key.KeyId, listed.KeyId);
            Assert.Equal("supernode-0", listed.Name);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task WithAnEvaluatorTokenOnlyItsHolderMayRegisterAsTheEvaluator()
    {
        await using var scenario = await StartAsync(auth => auth.EvaluatorToken = "evaluator-secret");
        var fleet = scenario.Host.Fleet;
        var request = new RegisterNodeRequest { DatasetId = "held-out", Role = "evaluator" };

        var refused = await Assert.ThrowsAsync<RpcException>(() => fleet.RegisterNodeAsync(request).ResponseAsync);
        var evaluator = await fleet.RegisterNodeAsync(request, new Metadata { { EvaluatorCredential.HeaderName, "evaluator-secret" } });
        var heartbeat = await Assert.ThrowsAsync<RpcException>(() => fleet.HeartbeatAsync(new HeartbeatRequest { NodeId = evaluator.NodeId }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal("Only the federation's Evaluator may register as the evaluator.", refused.Status.Detail);
        Assert.Equal($"Node '{evaluator.NodeId}' is the Evaluator; only the Evaluator may call for it.", heartbeat.Status.Detail);
        Assert.Single((await scenario.Host.Control.ListNodesAsync(new ListNodesRequest())).Nodes);
    }
}
