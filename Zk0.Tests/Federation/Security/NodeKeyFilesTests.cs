using System.Security.Cryptography;
using Zk0.Federation.Security;

namespace Zk0.Tests.Federation.Security;

public sealed class NodeKeyFilesTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("zk0-node-key-");

    [Fact]
    public void ASavedKeyLoadsBackWithTheSameIdAndOnlyItsOwnerMayReadThePrivateHalf()
    {
        using var key = NodeKeyPair.Generate();
        key.Save(_directory.FullName);

        using var loaded = NodeKeyPair.Load(_directory.FullName);

        Assert.Equal(key.KeyId, loaded.KeyId);
        Assert.Equal(key.KeyId, NodeKeyId.OfPem(File.ReadAllText(Path.Combine(_directory.FullName, NodeKeyPair.PublicKeyFileName))));
        Assert.True(NodeKeyId.IsWellFormed(key.KeyId));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory.FullName, NodeKeyPair.PrivateKeyFileName)));
    }

    [Fact]
    public void AnExistingKeyIsNeverOverwritten()
    {
        using var first = NodeKeyPair.Generate();
        first.Save(_directory.FullName);
        var before = File.ReadAllText(Path.Combine(_directory.FullName, NodeKeyPair.PrivateKeyFileName));

        using var second = NodeKeyPair.Generate();
        var error = Assert.Throws<NodeKeyException>(() => second.Save(_directory.FullName));

        Assert.Contains("already exists", error.Message);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_directory.FullName, NodeKeyPair.PrivateKeyFileName)));
    }

    [Fact]
    public void AMissingKeySaysHowToMakeOne()
    {
        var error = Assert.Throws<NodeKeyException>(() => NodeKeyPair.Load(_directory.FullName));

        Assert.Contains(Path.Combine(_directory.FullName, NodeKeyPair.PrivateKeyFileName), error.Message);
        Assert.Contains("zk0 node keygen", error.Message);
    }

    [Fact]
    public void APublicKeyGivenAsThePrivateOneIsRefused()
    {
        using var key = NodeKeyPair.Generate();
        key.Save(_directory.FullName);

        var error = Assert.Throws<NodeKeyException>(() => NodeKeyPair.Load(Path.Combine(_directory.FullName, NodeKeyPair.PublicKeyFileName)));

        Assert.Contains("public key only", error.Message);
    }

    [Fact]
    public void TextThatIsNoKeyIsRefusedNamingTheFile()
    {
        var path = Path.Combine(_directory.FullName, "node.key");
        File.WriteAllText(path, "not a key");

        var error = Assert.Throws<NodeKeyException>(() => NodeKeyPair.Load(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void AKeyOnAnotherCurveIsRefused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var error = Assert.Throws<NodeKeyException>(() => NodeKeyPair.ImportPublicKey(p384.ExportSubjectPublicKeyInfoPem(), "node.pub"));

        Assert.Contains("P-256", error.Message);
    }

    [Fact]
    public void ASignatureVerifiesOnlyForTheSignedCall()
    {
        using var key = NodeKeyPair.Generate();
        var headers = FleetRequestSignature.Sign(key, "/zk0.federation.v1.Fleet/PullTask", DateTimeOffset.UnixEpoch.AddDays(20000)).ToDictionary();
        using var publicKey = NodeKeyPair.ImportPublicKey(key.PublicKeyPem, "node.pub");

        bool Verify(string path, string? timestamp = null, string? nonce = null, string? keyId = null) => FleetRequestSignature.Verify(publicKey, path,
            timestamp ?? headers[FleetRequestSignature.TimestampHeader], nonce ?? headers[FleetRequestSignature.NonceHeader],
            keyId ?? headers[FleetRequestSignature.KeyIdHeader], headers[FleetRequestSignature.SignatureHeader]);

        Assert.True(Verify("/zk0.federation.v1.Fleet/PullTask"));
        Assert.False(Verify("/zk0.federation.v1.Fleet/PushResult"));
        Assert.False(Verify("/zk0.federation.v1.Fleet/PullTask", timestamp: "1"));
        Assert.False(Verify("/zk0.federation.v1.Fleet/PullTask", nonce: "another"));
        Assert.False(Verify("/zk0.federation.v1.Fleet/PullTask", keyId: NodeKeyId.Prefix + new string('0', 64)));
        Assert.False(FleetRequestSignature.Verify(publicKey, "/zk0.federation.v1.Fleet/PullTask", headers[FleetRequestSignature.TimestampHeader],
            headers[FleetRequestSignature.NonceHeader], headers[FleetRequestSignature.KeyIdHeader], "not base64!"));
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
