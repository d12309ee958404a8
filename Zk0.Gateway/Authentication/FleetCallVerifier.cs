using System.Globalization;
using Microsoft.Extensions.Options;
using Zk0.Federation.Security;

namespace Zk0.Gateway.Authentication;

/// <summary>
/// Checks one signed Fleet call (see <see cref="FleetRequestSignature"/>): the four headers, a registered key, its
/// signature, a timestamp within the replay window of the gateway's clock and a nonce not seen before.
/// </summary>
public sealed class FleetCallVerifier(RegisteredNodeKeys keys, NonceLedger nonces, IOptions<GatewayAuthOptions> options, TimeProvider clock)
{
    private const int MaxNonceLength = 64;

    /// <summary>The caller's verified key id, or a refusal saying what is wrong and what to do.</summary>
    public async Task<FleetCallVerdict> VerifyAsync(string path, IHeaderDictionary headers)
    {
        string? Header(string name) => headers.TryGetValue(name, out var value) && value.Count == 1 && value[0] is { Length: > 0 } text ? text : null;
        var keyId = Header(FleetRequestSignature.KeyIdHeader);
        var timestamp = Header(FleetRequestSignature.TimestampHeader);
        var nonce = Header(FleetRequestSignature.NonceHeader);
        var signature = Header(FleetRequestSignature.SignatureHeader);
        if (keyId is null || timestamp is null || nonce is null || signature is null)
            return FleetCallVerdict.Refused($"Fleet call {path} is not signed: this federation requires node authentication, so every Fleet call carries " +
                $"{FleetRequestSignature.KeyIdHeader}, {FleetRequestSignature.TimestampHeader}, {FleetRequestSignature.NonceHeader} and {FleetRequestSignature.SignatureHeader}. " +
                "Start the node with its key (--key DIR, a folder from `zk0 node keygen`) and have the admin register its node.pub.");
        if (!NodeKeyId.IsWellFormed(keyId))
            return FleetCallVerdict.Refused($"Node key id '{Shorten(keyId)}' is malformed: it is \"sha256:\" and 64 lower-case hex characters, as `zk0 node keygen` prints it.");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs))
            return FleetCallVerdict.Refused($"Request timestamp '{Shorten(timestamp)}' is not Unix milliseconds; sign calls with the node's FleetSigningInterceptor.");
        if (nonce.Length > MaxNonceLength)
            return FleetCallVerdict.Refused($"Request nonce is {nonce.Length} characters, more than {MaxNonceLength}; sign calls with the node's FleetSigningInterceptor.");

        using var publicKey = await keys.FindAsync(keyId);
        if (publicKey is null)
            return FleetCallVerdict.Refused($"Node key {keyId} is not registered with this federation; ask the federation's admin to run " +
                $"`zk0 node register --public-key {NodeKeyPair.PublicKeyFileName}` with this node's {NodeKeyPair.PublicKeyFileName}.");
        if (!FleetRequestSignature.Verify(publicKey, path, timestamp, nonce, keyId, signature))
            return FleetCallVerdict.Refused($"The signature of Fleet call {path} does not match node key {keyId}: the call was altered, or signed with " +
                $"another private key than the registered {NodeKeyPair.PublicKeyFileName}'s. Start the node with the key folder whose node.pub was registered.");

        var window = options.Value.ReplayWindow;
        var offset = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(unixMs, 0, DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()));
        if (offset.Duration() > window)
            return FleetCallVerdict.Refused($"Request timestamp is {Describe(offset.Duration())} {(offset > TimeSpan.Zero ? "behind" : "ahead of")} the gateway's clock " +
                $"(window {Describe(window)}); check the node's clock (NTP).");
        // Last, so only a correctly signed, timely call uses up a nonce.
        if (!await nonces.TryUseAsync(keyId, nonce))
            return FleetCallVerdict.Refused("Request nonce was already used: a replayed request is refused. Each call is signed afresh with a new nonce.");
        return FleetCallVerdict.Verified(keyId);
    }

    private static string Describe(TimeSpan span) =>
        span >= TimeSpan.FromMinutes(1) ? $"{Math.Round(span.TotalMinutes, span.TotalMinutes < 10 ? 1 : 0).ToString(CultureInfo.InvariantCulture)} min"
        : $"{Math.Round(span.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s";

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

/// <summary>A checked Fleet call: the verified key id, or why it is refused.</summary>
public sealed record FleetCallVerdict(string? KeyId, string? Refusal)
{
    public static FleetCallVerdict Verified(string keyId) => new(keyId, null);
    public static FleetCallVerdict Refused(string message) => new(null, message);
}
