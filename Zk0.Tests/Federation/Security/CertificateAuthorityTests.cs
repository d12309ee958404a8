using System.Net;
using System.Security.Cryptography.X509Certificates;
using Zk0.Federation.Security;

namespace Zk0.Tests.Federation.Security;

public sealed class CertificateAuthorityTests
{
    [Fact]
    public void TheServerCertificateChainsToTheCaAndNamesLoopbackThisMachineAndTheExtraHosts()
    {
        using var folder = new TlsTestFolder(true, "fl.example.org", "10.1.2.3");
        using var ca = X509CertificateLoader.LoadCertificateFromFile(folder.Files.CaCertificate);
        using var server = X509Certificate2.CreateFromPemFile(folder.Files.ServerCertificate, folder.Files.ServerKey);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        Assert.True(chain.Build(server), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        var san = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        var dns = san.EnumerateDnsNames().ToList();
        var ips = san.EnumerateIPAddresses().ToList();
        Assert.Contains("localhost", dns);
        Assert.Contains(Dns.GetHostName(), dns);
        Assert.Contains("fl.example.org", dns);
        Assert.Contains(IPAddress.Loopback, ips);
        Assert.Contains(IPAddress.IPv6Loopback, ips);
        Assert.Contains(IPAddress.Parse("10.1.2.3"), ips);
        Assert.True(server.MatchesHostname("fl.example.org"));
        Assert.False(server.MatchesHostname("other.example.org"));

        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, ca.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.False(server.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.True(ca.NotAfter > DateTime.UtcNow.AddYears(9));
        Assert.InRange(server.NotAfter, DateTime.UtcNow.AddYears(1), DateTime.UtcNow.AddYears(3));
    }

    [Fact]
    public void ServerCrtHoldsTheLeafThenTheCa()
    {
        using var folder = new TlsTestFolder();
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(folder.Files.ServerCertificate);
        using var ca = X509CertificateLoader.LoadCertificateFromFile(folder.Files.CaCertificate);

        Assert.Equal(2, chain.Count);
        Assert.Equal(ca.Subject, chain[0].Issuer);
        Assert.Equal(ca.Thumbprint, chain[1].Thumbprint);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void KeyFilesAreReadableByTheirOwnerOnly()
    {
        using var folder = new TlsTestFolder();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.Files.CaKey));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.Files.ServerKey));
    }

    [Fact]
    public void AnExistingCaIsKeptAndSignsTheReissuedServerCertificate()
    {
        using var folder = new TlsTestFolder();
        var caBefore = File.ReadAllText(folder.Files.CaCertificate);
        var serverBefore = File.ReadAllText(folder.Files.ServerCertificate);

        var written = TlsCertificateWriter.Write(folder.Files, ["new.example.org"], newCa: false);

        Assert.False(written.CaCreated);
        Assert.Equal(caBefore, File.ReadAllText(folder.Files.CaCertificate));
        Assert.NotEqual(serverBefore, File.ReadAllText(folder.Files.ServerCertificate));
        using var server = X509Certificate2.CreateFromPemFile(folder.Files.ServerCertificate, folder.Files.ServerKey);
        using var ca = X509CertificateLoader.LoadCertificateFromFile(folder.Files.CaCertificate);
        Assert.True(server.MatchesHostname("new.example.org"));
        Assert.Equal(ca.Subject, server.Issuer);
    }

    [Fact]
    public void ANewCaReplacesTheOldOneOnlyWhenAsked()
    {
        using var folder = new TlsTestFolder();
        var caBefore = File.ReadAllText(folder.Files.CaCertificate);

        var written = TlsCertificateWriter.Write(folder.Files, [], newCa: true);

        Assert.True(written.CaCreated);
        Assert.NotEqual(caBefore, File.ReadAllText(folder.Files.CaCertificate));
    }

    [Fact]
    public void ACaWithoutItsKeyIsRefusedWithWhatToDo()
    {
        using var folder = new TlsTestFolder();
        File.Delete(folder.Files.CaKey);

        var error = Assert.Throws<TlsSetupException>(() => TlsCertificateWriter.Write(folder.Files, [], newCa: false));

        Assert.Contains(folder.Files.CaKey, error.Message);
        Assert.Contains("--force", error.Message);
    }

    [Theory]
    [InlineData("not a host")]
    [InlineData("")]
    public void AHostThatIsNoNameIsRefused(string host)
    {
        using var folder = new TlsTestFolder(withCertificates: false);

        var error = Assert.Throws<TlsSetupException>(() => TlsCertificateWriter.Write(folder.Files, [host], newCa: false));

        Assert.Contains($"--host '{host}'", error.Message);
        Assert.False(File.Exists(folder.Files.CaCertificate));
    }
}
