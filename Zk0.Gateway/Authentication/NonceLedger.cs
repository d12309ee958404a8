using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Zk0.Federation.Security;

namespace Zk0.Gateway.Authentication;

/// <summary>
/// The nonces of signed Fleet calls seen lately, in Redis so every gateway replica refuses a call another one already
/// let through. A nonce is kept twice the replay window: long enough that its timestamp is refused by then anyway.
/// </summary>
public sealed class NonceLedger(IConnectionMultiplexer redis, IOptions<GatewayAuthOptions> options)
{
    private readonly NodeKeyRegistryLayout _layout = new(options.Value.KeyPrefix);

    /// <summary>Records the nonce; false when it was already recorded (a replay).</summary>
    public Task<bool> TryUseAsync(string keyId, string nonce) =>
        redis.GetDatabase().StringSetAsync(_layout.Nonce(keyId, nonce), 1, options.Value.ReplayWindow * 2, When.NotExists);
}
