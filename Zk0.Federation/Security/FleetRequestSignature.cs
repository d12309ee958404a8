using System.Security.Cryptography;
using System.Text;

namespace Zk0.Federation.Security;

/// <summary>
/// How a node signs each Fleet call: four request headers carrying its key id, the time (Unix ms), a random nonce
/// and an ECDSA P-256 / SHA-256 signature (IEEE P1363, base64) over
/// <c>zk0-fleet-v1\n{path}\n{timestamp}\n{nonce}\n{key id}</c>. The gateway checks the key is registered, the
/// signature, the time against its replay window and that the nonce was not seen before. The message body is not
/// signed: TLS protects it in transit, and the signature binds the call to the key, the method and the moment.
/// </summary>
public static class FleetRequestSignature
{
    public const string KeyIdHeader = "zk0-key-id";
    public const string TimestampHeader = "zk0-timestamp";
    public const string NonceHeader = "zk0-nonce";
    public const string SignatureHeader = "zk0-signature";

    /// <summary>Set by the gateway (never by a caller: it strips incoming ones) on a Fleet call it verified: the caller's key id.</summary>
    public const string VerifiedKeyIdHeader = "zk0-verified-key-id";

    public static IReadOnlyList<KeyValuePair<string, string>> Sign(NodeKeyPair key, string path, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        var signature = key.Key.SignData(Payload(path, timestamp, nonce, key.KeyId), HashAlgorithmName.SHA256);
        return
        [
            new(KeyIdHeader, key.KeyId),
            new(TimestampHeader, timestamp),
            new(NonceHeader, nonce),
            new(SignatureHeader, Convert.ToBase64String(signature)),
        ];
    }

    /// <summary>Whether <paramref name="signatureBase64"/> is <paramref name="publicKey"/>'s signature of this call.</summary>
    public static bool Verify(ECDsa publicKey, string path, string timestamp, string nonce, string keyId, string signatureBase64)
    {
        Span<byte> signature = stackalloc byte[128];
        if (!Convert.TryFromBase64String(signatureBase64, signature, out var length)) return false;
        return publicKey.VerifyData(Payload(path, timestamp, nonce, keyId), signature[..length], HashAlgorithmName.SHA256);
    }

    private static byte[] Payload(string path, string timestamp, string nonce, string keyId) =>
        Encoding.UTF8.GetBytes($"zk0-fleet-v1\n{path}\n{timestamp}\n{nonce}\n{keyId}");
}
