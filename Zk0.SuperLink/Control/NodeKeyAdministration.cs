using Microsoft.Extensions.Options;
using Zk0.Federation.Protocol;
using Zk0.Federation.Security;
using Zk0.SuperLink.Hosting;
using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Control;

/// <summary>The Control API's node key registry calls: checks the input, then changes <see cref="NodeKeyRegistry"/>.</summary>
public sealed class NodeKeyAdministration(NodeKeyRegistry registry, ILinkState state, IOptions<SuperLinkOptions> options, TimeProvider clock,
    ILogger<NodeKeyAdministration> logger)
{
    private const int MaxPublicKeyPemLength = 4096;

    public async Task<RegisterNodeKeyReply> RegisterAsync(RegisterNodeKeyRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.PublicKeyPem))
            throw Errors.InvalidArgument("public_key_pem is empty: send the node.pub that `zk0 node keygen` wrote.");
        if (request.PublicKeyPem.Length > MaxPublicKeyPemLength)
            throw Errors.InvalidArgument($"public_key_pem is {request.PublicKeyPem.Length} characters; a P-256 public key's PEM is about 180. Send the node.pub that `zk0 node keygen` wrote.");
        InputChecks.Length("name", request.Name, options.Value.Limits.MaxDisplayNameLength, nameof(InputLimits.MaxDisplayNameLength));
        string keyId, pem;
        try
        {
            using var key = NodeKeyPair.ImportPublicKey(request.PublicKeyPem, "public_key_pem");
            (keyId, pem) = (NodeKeyId.Of(key), key.ExportSubjectPublicKeyInfoPem());
        }
        catch (NodeKeyException e)
        {
            throw Errors.InvalidArgument(e.Message);
        }
        var (registered, created) = await registry.RegisterAsync(keyId, pem, request.Name);
        if (created) logger.LogInformation("Node key {KeyId} registered ({Name})", keyId, request.Name);
        return new RegisterNodeKeyReply { Key = ToProto(registered), Created = created };
    }

    public async Task<ListNodeKeysReply> ListAsync()
    {
        var reply = new ListNodeKeysReply();
        reply.Keys.Add((await registry.ListAsync()).Select(ToProto));
        return reply;
    }

    /// <summary>Removes the key, then ends the leases of the nodes registered with it: the gateway refuses their calls from now on anyway.</summary>
    public async Task<UnregisterNodeKeyReply> UnregisterAsync(UnregisterNodeKeyRequest request, CancellationToken ct)
    {
        if (!NodeKeyId.IsWellFormed(request.KeyId))
            throw Errors.InvalidArgument($"key_id '{InputChecks.Quote(request.KeyId)}' is not a node key id (\"sha256:\" and 64 lower-case hex characters); `zk0 node ls` lists them.");
        if (!await registry.UnregisterAsync(request.KeyId))
            throw Errors.NotFound($"No registered node key '{request.KeyId}'; `zk0 node ls` lists them.");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var nodes = (await state.ListNodesAsync(includeExpired: true, ct))
            .Where(n => n.KeyId == request.KeyId && n.IsOnline(now)).Select(n => n.NodeId).ToList();
        await state.ExpireNodeLeasesAsync(nodes, ct);
        logger.LogInformation("Node key {KeyId} unregistered; leases ended: {Nodes}", request.KeyId, string.Join(", ", nodes));
        var reply = new UnregisterNodeKeyReply();
        reply.NodeIds.Add(nodes);
        return reply;
    }

    private static NodeKey ToProto(RegisteredNodeKey key) =>
        new() { KeyId = key.KeyId, PublicKeyPem = key.PublicKeyPem, Name = key.Name, RegisteredUnixMs = key.RegisteredUnixMs };
}
