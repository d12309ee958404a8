using Zk0.Federation.Security;
using Zk0.Gateway.Tls;
using Zk0.Tests.Federation.Security;

namespace Zk0.Tests.Gateway.Tls;

public sealed class GatewayCertificateTests
{
    [Fact]
    public void NoOptionsMeansNoTls() => Assert.Null(GatewayCertificate.Load(new GatewayTlsOptions()));

    [Fact]
    public void TheCertificateComesWithItsKeyAndChain()
    {
        using var folder = new TlsTestFolder();

        var loaded = GatewayCertificate.Load(new GatewayTlsOptions { CertificateFile = folder.Files.ServerCertificate, KeyFile = folder.Files.ServerKey });

        Assert.NotNull(loaded);
        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.Equal(2, loaded.Chain.Count);
    }

    [Fact]
    public void AKeyWithoutACertificateSaysToGiveBoth()
    {
        var error = Assert.Throws<TlsSetupException>(() => GatewayCertificate.Load(new GatewayTlsOptions { KeyFile = "server.key" }));

        Assert.StartsWith("Gateway:Tls:CertificateFile is not set while Gateway:Tls:KeyFile is: give both", error.Message);
    }

    [Fact]
    public void AMissingFileIsNamedWithWhatToDo()
    {
        using var folder = new TlsTestFolder(withCertificates: false);

        var error = Assert.Throws<TlsSetupException>(() => GatewayCertificate.Load(new GatewayTlsOptions { CertificateFile = folder.Files.ServerCertificate, KeyFile = folder.Files.ServerKey }));

        Assert.StartsWith($"Gateway:Tls:CertificateFile {folder.Files.ServerCertificate} not found", error.Message);
        Assert.Contains("zk0 server cert --out DIR", error.Message);
    }

    [Fact]
    public void AKeyThatDoesNotBelongToTheCertificateIsRefused()
    {
        using var folder = new TlsTestFolder();

        var error = Assert.Throws<TlsSetupException>(() => GatewayCertificate.Load(new GatewayTlsOptions { CertificateFile = folder.Files.ServerCertificate, KeyFile = folder.Files.CaKey }));

        Assert.StartsWith($"{folder.Files.ServerCertificate} and {folder.Files.CaKey} are not a PEM certificate and its private key", error.Message);
    }
}
