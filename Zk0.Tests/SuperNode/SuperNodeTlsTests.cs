using Zk0.Tests.Federation.Security;

namespace Zk0.Tests.SuperNode;

/// <summary>A real SuperNode reaching a Fleet server over TLS, verifying it against the federation's CA (SuperNode:CaFile).</summary>
public sealed class SuperNodeTlsTests
{
    [Fact]
    public async Task ANodeWithTheFederationsCaRegistersOverTls()
    {
        using var tls = new TlsTestFolder();
        using var certificate = ServerTrustTests.ServerCertificate(tls);
        await using var fleet = await ScriptedFleet.StartAsync(certificate: certificate);
        var work = Directory.CreateTempSubdirectory("zk0-supernode-tls-").FullName;
        using var node = SuperNodeHost.Build(new Uri($"https://localhost:{fleet.Address.Port}"), "tiny:kitchen", work,
            settings: new Dictionary<string, string?> { ["SuperNode:CaFile"] = tls.Files.CaCertificate });

        await node.StartAsync();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (fleet.Registrations.IsEmpty) await Task.Delay(50, deadline.Token);
        }
        finally
        {
            await node.StopAsync();
            Directory.Delete(work, recursive: true);
        }

        Assert.Equal("trainer", Assert.Single(fleet.Registrations).Role);
    }
}
