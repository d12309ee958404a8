using System.Security.Cryptography;

namespace Zk0.Federation.Security;

/// <summary>A public key's id: <c>sha256:</c> and the hex SHA-256 of its SubjectPublicKeyInfo (DER), the same on every machine.</summary>
public static class NodeKeyId
{
    public const string Prefix = "sha256:";

    public static string Of(ECDsa key) => Prefix + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    /// <summary>The id of a PEM public key (SubjectPublicKeyInfo); throws <see cref="NodeKeyException"/> when the text is not an ECDSA P-256 public key.</summary>
    public static string OfPem(string publicKeyPem)
    {
        using var key = NodeKeyPair.ImportPublicKey(publicKeyPem, "the public key");
        return Of(key);
    }

    public static bool IsWellFormed(string? keyId) =>
        keyId is { Length: 71 } && keyId.StartsWith(Prefix, StringComparison.Ordinal) && keyId.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef") is false;
}
