using Zk0.AppHost.Tls;
using Zk0.Federation.Security;
using Zk0.Tests.Federation.Security;

namespace Zk0.Tests.AppHost.Tls;

public sealed class LocalTlsTests
{
    [Fact]
    public void MissingCertificatesAreMadeAndTheCaIsNamedForNodesAndTheCli()
    {
        using var folder = new TlsTestFolder(withCertificates: false);
        var said = new List<string>();

        var files = LocalTls.Prepare(folder.Files.Directory, said.Add);

        Assert.True(files.HasServerCertificate);
        Assert.True(File.Exists(files.CaCertificate));
        Assert.Contains(said, l => l.Contains("signed by a new CA " + files.CaCertificate, StringComparison.Ordinal));
        Assert.Contains(said, l => l.Contains("nodes and the zk0 CLI pass --ca " + files.CaCertificate, StringComparison.Ordinal));
    }

    [Fact]
    public void ExistingCertificatesAreUsedAsTheyAre()
    {
        using var folder = new TlsTestFolder();
        var before = File.ReadAllText(folder.Files.ServerCertificate);

        LocalTls.Prepare(folder.Files.Directory, _ => { });

        Assert.Equal(before, File.ReadAllText(folder.Files.ServerCertificate));
    }

    [Fact]
    public void AServerCertificateWithoutItsCaIsRefused()
    {
        using var folder = new TlsTestFolder();
        File.Delete(folder.Files.CaCertificate);

        var error = Assert.Throws<TlsSetupException>(() => LocalTls.Prepare(folder.Files.Directory, _ => { }));

        Assert.Contains($"{folder.Files.CaCertificate} is not", error.Message);
        Assert.Contains("--force", error.Message);
    }
}
