using StackExchange.Redis;
using Zk0.Federation.Security;

namespace Zk0.SuperLink.State;

/// <summary>
/// The public keys an admin allowed to join, kept in Redis where the gateway reads them (layout:
/// <see cref="NodeKeyRegistryLayout"/>). Keys are identified by <see cref="NodeKeyId"/>, so one key is registered once.
/// </summary>
public sealed class NodeKeyRegistry(IConnectionMultiplexer redis, TimeProvider clock, string keyPrefix)
{
    private readonly NodeKeyRegistryLayout _layout = new(keyPrefix);
    private IDatabase Db => redis.GetDatabase();

    /// <summary>Registers the key unless it already is; returns the stored record and whether this call created it.</summary>
    public async Task<(RegisteredNodeKey Key, bool Created)> RegisterAsync(string keyId, string publicKeyPem, string name)
    {
        var key = new RegisteredNodeKey(keyId, publicKeyPem, name, clock.GetUtcNow().ToUnixTimeMilliseconds());
        if (await Db.HashSetAsync(_layout.Keys, keyId, NodeKeyRegistryLayout.Serialize(key), When.NotExists)) return (key, true);
        return (await GetAsync(keyId) ?? key, false);
    }

    public async Task<RegisteredNodeKey?> GetAsync(string keyId)
    {
        var json = await Db.HashGetAsync(_layout.Keys, keyId);
        return json.IsNull ? null : NodeKeyRegistryLayout.Deserialize(json!);
    }

    public async Task<IReadOnlyList<RegisteredNodeKey>> ListAsync() =>
        (await Db.HashGetAllAsync(_layout.Keys)).Select(e => NodeKeyRegistryLayout.Deserialize(e.Value!))
            .OrderBy(k => k.RegisteredUnixMs).ThenBy(k => k.KeyId, StringComparer.Ordinal).ToList();

    /// <summary>Removes the key; false when it was not registered.</summary>
    public Task<bool> UnregisterAsync(string keyId) => Db.HashDeleteAsync(_layout.Keys, keyId);
}
