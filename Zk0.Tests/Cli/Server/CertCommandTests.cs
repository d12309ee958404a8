using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Zk0.Cli.Server;
using Zk0.Tests.Federation.Security;

namespace Zk0.Tests.Cli.Server;

public sealed class CertCommandTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { ServerCommands.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await root.Parse(["server", "cert", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task WritesTheCaAndServerCertificateAndSaysHowToUseThem()
    {
        using var folder = new TlsTestFolder(withCertificates: false);

        var (exit, output, error) = await RunAsync("--out", folder.Files.Directory, "--host", "fl.example.org", "--host", "10.0.0.5");

        Assert.True(exit == 0, error);
        using var server = X509Certificate2.CreateFromPemFile(folder.Files.ServerCertificate, folder.Files.ServerKey);
        Assert.True(server.MatchesHostname("fl.example.org"));
        Assert.Contains($"created the CA {folder.Files.CaCertificate}", output);
        Assert.Contains($"Gateway__Tls__CertificateFile={folder.Files.ServerCertificate} Gateway__Tls__KeyFile={folder.Files.ServerKey}", output);
        Assert.Contains($"--tls {folder.Files.Directory}", output);
        Assert.Contains($"--ca {folder.Files.CaCertificate}", output);
        Assert.Contains($"SuperNode__CaFile={folder.Files.CaCertificate}", output);
    }

    [Fact]
    public async Task ASecondRunKeepsTheCaUnlessForced()
    {
        using var folder = new TlsTestFolder(withCertificates: false);
        await RunAsync("--out", folder.Files.Directory);
        var ca = File.ReadAllText(folder.Files.CaCertificate);

        var (exit, output, _) = await RunAsync("--out", folder.Files.Directory, "--host", "new.example.org");
        Assert.Equal(0, exit);
        Assert.Contains("kept the existing CA", output);
        Assert.Equal(ca, File.ReadAllText(folder.Files.CaCertificate));

        (exit, output, _) = await RunAsync("--out", folder.Files.Directory, "--force");
        Assert.Equal(0, exit);
        Assert.Contains("created the CA", output);
        Assert.NotEqual(ca, File.ReadAllText(folder.Files.CaCertificate));
    }

    [Fact]
    public async Task ABadHostIsOneLineNamingIt()
    {
        using var folder = new TlsTestFolder(withCertificates: false);

        var (exit, output, error) = await RunAsync("--out", folder.Files.Directory, "--host", "no such host");

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith("error: --host 'no such host' is not a host name or IP address", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}
