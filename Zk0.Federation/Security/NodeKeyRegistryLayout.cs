using System.Text.Json;

namespace Zk0.Federation.Security;

/// <summary>
/// Where the registered node keys and the seen nonces live in the federation's Redis: the one definition the
/// SuperLink (which writes the registry) and the gateway (which reads it and records nonces) share. Only key names
/// and the stored JSON are defined here, so this assembly needs no Redis client; each side uses its own.
/// </summary>
public sealed class NodeKeyRegistryLayout(string keyPrefix)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A hash: key id → <see cref="RegisteredNodeKey"/> as JSON.</summary>
    public string Keys => $"{keyPrefix}:nodekeys";

    /// <summary>A string set with NX and an expiry: present while the nonce may still be replayed within the window.</summary>
    public string Nonce(string keyId, string nonce) => $"{keyPrefix}:nonce:{keyId}:{nonce}";

    public static string Serialize(RegisteredNodeKey key) => JsonSerializer.Serialize(key, Json);

    public static RegisteredNodeKey Deserialize(string json) =>
        JsonSerializer.Deserialize<RegisteredNodeKey>(json, Json) ?? throw new JsonException("A registered node key record is empty.");
}

/// <summary>A public key an admin allowed to join, as stored in the registry.</summary>
public sealed record RegisteredNodeKey(string KeyId, string PublicKeyPem, string Name, long RegisteredUnixMs);
