using Zk0.Federation.Security;

namespace Zk0.Tests.Federation.Security;

public sealed class FleetRequestSignatureTests
{
    private const string Path = "/zk0.federation.v1.Fleet/PullTask";
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 7, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string> Sign(NodeKeyPair key) => FleetRequestSignature.Sign(key, Path, Now).ToDictionary(h => h.Key, h => h.Value);

    private static bool Verify(NodeKeyPair key, Dictionary<string, string> h, string path = Path) =>
        FleetRequestSignature.Verify(key.Key, path, h[FleetRequestSignature.TimestampHeader], h[FleetRequestSignature.NonceHeader],
            h[FleetRequestSignature.KeyIdHeader], h[FleetRequestSignature.SignatureHeader]);

    [Fact]
    public void ASignedCallVerifiesWithTheSignersPublicKeyOnly()
    {
        using var key = NodeKeyPair.Generate();
        using var other = NodeKeyPair.Generate();
        var headers = Sign(key);

        Assert.Equal(key.KeyId, headers[FleetRequestSignature.KeyIdHeader]);
        Assert.Equal(Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), headers[FleetRequestSignature.TimestampHeader]);
        Assert.True(Verify(key, headers));
        Assert.False(Verify(other, headers));
    }

    [Theory]
    [InlineData(FleetRequestSignature.TimestampHeader, "1")]
    [InlineData(FleetRequestSignature.NonceHeader, "another-nonce")]
    [InlineData(FleetRequestSignature.KeyIdHeader, "sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData(FleetRequestSignature.SignatureHeader, "not base64!")]
    [InlineData(FleetRequestSignature.SignatureHeader, "AAAA")]
    public void AnyAlteredHeaderBreaksTheSignature(string header, string value)
    {
        using var key = NodeKeyPair.Generate();
        var headers = Sign(key);
        headers[header] = value;

        Assert.False(Verify(key, headers));
    }

    [Fact]
    public void TheSignatureBindsTheMethod()
    {
        using var key = NodeKeyPair.Generate();

        Assert.False(Verify(key, Sign(key), "/zk0.federation.v1.Fleet/PushResult"));
    }

    [Fact]
    public void EveryCallGetsItsOwnNonce()
    {
        using var key = NodeKeyPair.Generate();

        Assert.NotEqual(Sign(key)[FleetRequestSignature.NonceHeader], Sign(key)[FleetRequestSignature.NonceHeader]);
    }

    [Fact]
    public void AKeyIdIsTheSameForTheKeyPairAndItsPublicPem()
    {
        using var key = NodeKeyPair.Generate();

        Assert.Equal(key.KeyId, NodeKeyId.OfPem(key.PublicKeyPem));
        Assert.True(NodeKeyId.IsWellFormed(key.KeyId));
    }

    [Fact]
    public void AKeyFolderRoundTripsAndTheLoadedKeySignsTheSame()
    {
        var directory = Directory.CreateTempSubdirectory("zk0-key-").FullName;
        try
        {
            using var key = NodeKeyPair.Generate();
            key.Save(directory);
            using var loaded = NodeKeyPair.Load(directory);

            Assert.Equal(key.KeyId, loaded.KeyId);
            Assert.True(Verify(key, Sign(loaded)));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(System.IO.Path.Combine(directory, NodeKeyPair.PrivateKeyFileName)));
            var again = Assert.Throws<NodeKeyException>(() => key.Save(directory));
            Assert.Contains("already exists", again.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void APublicKeyThatIsNotPemIsNamedWithWhatToDo()
    {
        var error = Assert.Throws<NodeKeyException>(() => NodeKeyPair.ImportPublicKey("hello", "node.pub"));

        Assert.StartsWith("node.pub is not a PEM ECDSA public key", error.Message);
        Assert.Contains("zk0 node keygen", error.Message);
    }
}
