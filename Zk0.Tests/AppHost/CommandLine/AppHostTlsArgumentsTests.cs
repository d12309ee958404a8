using Zk0.AppHost.CommandLine;

namespace Zk0.Tests.AppHost.CommandLine;

public sealed class AppHostTlsArgumentsTests
{
    [Fact]
    public void WithoutTlsTheGatewayStaysPlain() => Assert.Null(AppHostArguments.Parse([]).TlsDirectory);

    [Fact]
    public void TlsWithoutAFolderUsesTheDefaultOne()
    {
        Assert.Equal(".zk0/tls", AppHostArguments.Parse(["--tls"]).TlsDirectory);
        Assert.Equal(".zk0/tls", AppHostArguments.Parse(["--tls", "--random-ports"]).TlsDirectory);
    }

    [Fact]
    public void TlsTakesAFolder()
    {
        var parsed = AppHostArguments.Parse(["--tls", "/etc/zk0/tls", "--nodes", "2"]);

        Assert.Equal("/etc/zk0/tls", parsed.TlsDirectory);
        Assert.Equal(2, parsed.Nodes);
    }

    [Fact]
    public void TlsWhilePublishingSaysWhereADeployedGatewayGetsItsCertificate()
    {
        var error = Assert.Throws<AppHostArgumentException>(() => AppHostArguments.Parse(["--tls", "--publisher", "manifest", "--output-path", "m.json"]));

        Assert.Contains("Gateway__Tls__CertificateFile", error.Message);
    }

    [Fact]
    public void TheUsageExplainsTls() => Assert.Contains("--tls [DIR]", AppHostArguments.Usage);
}
