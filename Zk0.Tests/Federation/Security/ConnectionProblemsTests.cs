using Grpc.Core;
using Zk0.Federation.Security;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Federation.Security;

/// <summary>The one line for each usual connection failure, from real sockets.</summary>
public sealed class ConnectionProblemsTests
{
    [Fact]
    public async Task NothingListeningSaysConnectionRefused()
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");

        var error = await Assert.ThrowsAsync<RpcException>(() => ServerTrustTests.HeartbeatAsync(address, caFile: null));

        Assert.Equal($"Nothing answers at {address.Scheme}://{address.Authority} (connection refused): check that the gateway runs and that this is its gRPC address and port.",
            ConnectionProblems.Describe(error, address));
    }

    [Fact]
    public async Task TlsToAPlainH2cPortSaysItServesPlainH2c()
    {
        using var folder = new TlsTestFolder();
        await using var server = await HeartbeatServer.StartAsync(certificate: null);
        var address = new Uri($"https://127.0.0.1:{server.Port}");

        var error = await Assert.ThrowsAsync<RpcException>(() => ServerTrustTests.HeartbeatAsync(address, folder.Files.CaCertificate));
        var line = ConnectionProblems.Describe(error, address);

        Assert.StartsWith($"https://127.0.0.1:{server.Port} did not complete a TLS handshake: it probably serves plain h2c", line);
        Assert.Contains($"http://127.0.0.1:{server.Port}", line);
    }

    [Fact]
    public async Task PlainH2cToATlsPortSaysItServesTlsAndWhatToPass()
    {
        using var folder = new TlsTestFolder();
        using var certificate = ServerTrustTests.ServerCertificate(folder);
        await using var server = await HeartbeatServer.StartAsync(certificate);
        var address = new Uri($"http://localhost:{server.Port}");

        var error = await Assert.ThrowsAsync<RpcException>(() => ServerTrustTests.HeartbeatAsync(address, caFile: null));
        var line = ConnectionProblems.Describe(error, address);

        Assert.StartsWith($"http://localhost:{server.Port} closed the connection on plain h2c: the gateway probably serves TLS", line);
        Assert.Contains($"https://localhost:{server.Port}", line);
        Assert.Contains("--ca FILE", line);
    }

    [Fact]
    public void APlaintextRefusalIsItsOwnLine()
    {
        var address = new Uri("http://fl.example.org:5180");
        var refusal = Assert.Throws<InsecureTransportException>(() => PlaintextPolicy.Check(address, allowInsecure: false));

        Assert.Equal(refusal.Message, ConnectionProblems.Describe(refusal, address));
    }
}
