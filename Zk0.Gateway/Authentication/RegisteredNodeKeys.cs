using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Zk0.Federation.Security;

namespace Zk0.Gateway.Authentication;

/// <summary>
/// The node key registry the SuperLink keeps in Redis, read by the gateway. A found key is remembered for
/// <see cref="CacheFor"/> so a busy node costs no Redis read per call; a key an admin unregistered therefore stops
/// working within that time. Unknown keys are not remembered: a key just registered works on the node's next call.
/// </summary>
public sealed class RegisteredNodeKeys(IConnectionMultiplexer redis, IOptions<GatewayAuthOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly NodeKeyRegistryLayout _layout = new(options.Value.KeyPrefix);
    private readonly ConcurrentDictionary<string, (ECParameters Key, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>A new <see cref="ECDsa"/> (the caller's to dispose) with the registered public key, or null when <paramref name="keyId"/> is not registered.</summary>
    public async Task<ECDsa?> FindAsync(string keyId)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(keyId, out var cached) && cached.Until > now) return ECDsa.Create(cached.Key);
        var json = await redis.GetDatabase().HashGetAsync(_layout.Keys, keyId);
        if (json.IsNull)
        {
            _cache.TryRemove(keyId, out _);
            return null;
        }
        var registered = NodeKeyRegistryLayout.Deserialize(json!);
        var key = NodeKeyPair.ImportPublicKey(registered.PublicKeyPem, $"registered node key {keyId}");
        _cache[keyId] = (key.ExportParameters(false), now + CacheFor);
        return key;
    }
}
