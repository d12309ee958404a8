using System.Security.Cryptography;

namespace Zk0.Federation.Security;

/// <summary>
/// A node's ECDSA P-256 key pair as PEM files in one folder: <c>node.key</c> (PKCS#8, readable by its owner only) and
/// <c>node.pub</c> (SubjectPublicKeyInfo), the file an admin registers. .NET's own cryptography; nothing home-made.
/// </summary>
public sealed class NodeKeyPair : IDisposable
{
    public const string PrivateKeyFileName = "node.key";
    public const string PublicKeyFileName = "node.pub";

    private NodeKeyPair(ECDsa key)
    {
        Key = key;
        KeyId = NodeKeyId.Of(key);
    }

    public ECDsa Key { get; }

    public string KeyId { get; }

    public string PublicKeyPem => Key.ExportSubjectPublicKeyInfoPem();

    public static NodeKeyPair Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Writes both files into <paramref name="directory"/>; refuses to overwrite an existing key (a node's identity is its key).</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var privatePath = Path.Combine(directory, PrivateKeyFileName);
        var publicPath = Path.Combine(directory, PublicKeyFileName);
        if (File.Exists(privatePath))
            throw new NodeKeyException($"{privatePath} already exists; a node keeps its key. Choose another folder, or delete it first if you mean to replace the node's identity.");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(privatePath, options)) writer.Write(Key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(publicPath, PublicKeyPem);
    }

    /// <summary>Loads <c>node.key</c> from <paramref name="directoryOrFile"/> (a key folder or the private key file itself).</summary>
    public static NodeKeyPair Load(string directoryOrFile)
    {
        var path = Directory.Exists(directoryOrFile) ? Path.Combine(directoryOrFile, PrivateKeyFileName) : directoryOrFile;
        if (!File.Exists(path))
            throw new NodeKeyException($"Node key {path} not found. Create one with `zk0 node keygen --out DIR` and pass that folder with --key DIR.");
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new NodeKeyException($"Node key {path} cannot be read: {ex.Message}");
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new NodeKeyException($"Node key {path} is not a PEM private key ({ex.Message}). Pass the folder `zk0 node keygen` wrote (it holds {PrivateKeyFileName}).");
        }
        RequireP256(key, path);
        if (key.ExportParameters(false).Q.X is null || !HasPrivateKey(key))
        {
            key.Dispose();
            throw new NodeKeyException($"{path} holds a public key only; a node signs with its private key ({PrivateKeyFileName}).");
        }
        return new NodeKeyPair(key);
    }

    /// <summary>An ECDSA P-256 public key from PEM (SubjectPublicKeyInfo); <paramref name="what"/> names it in errors.</summary>
    public static ECDsa ImportPublicKey(string publicKeyPem, string what)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(publicKeyPem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new NodeKeyException($"{what} is not a PEM ECDSA public key ({ex.Message}); register the node.pub that `zk0 node keygen` wrote.");
        }
        RequireP256(key, what);
        return key;
    }

    private static void RequireP256(ECDsa key, string what)
    {
        var curve = key.ExportParameters(false).Curve;
        if (curve.IsNamed && curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value) return;
        key.Dispose();
        throw new NodeKeyException($"{what} is not on the P-256 curve; create node keys with `zk0 node keygen`.");
    }

    private static bool HasPrivateKey(ECDsa key)
    {
        try
        {
            return key.ExportParameters(true).D is { Length: > 0 };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose() => Key.Dispose();
}
