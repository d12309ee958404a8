using System.Net;
using Grpc.Core;
using Zk0.Federation.Security;
using Zk0.Tests.Federation.Security;

namespace Zk0.Tests.Gateway.Tls;

/// <summary>The gateway serving TLS with a <c>zk0 server cert</c> certificate in front of a real gRPC backend.</summary>
public sealed class GatewayTlsTests : IAsyncLifetime
{
    private readonly TlsTestFolder _tls = new();
    private HeartbeatServer? _superlink;

    public async Task InitializeAsync() => _superlink = await HeartbeatServer.StartAsync(certificate: null);

    public async Task DisposeAsync()
    {
        if (_superlink is not null) await _superlink.DisposeAsync();
        _tls.Dispose();
    }

    private Task<TlsGateway> StartTlsGatewayAsync(string grpcUrl = "http://127.0.0.1:{port}") =>
        TlsGateway.StartAsync(_superlink!.Address, grpcUrl, new Dictionary<string, string?>
        {
            ["Gateway:Tls:CertificateFile"] = _tls.Files.ServerCertificate,
            ["Gateway:Tls:KeyFile"] = _tls.Files.ServerKey,
        });

    /// <summary>Either URL scheme serves TLS: the configured http:// of appsettings.json, or the https:// Aspire gives with --tls.</summary>
    [Theory]
    [InlineData("http://127.0.0.1:{port}")]
    [InlineData("https://127.0.0.1:{port}")]
    public async Task GrpcOverHttpsVerifiedAgainstTheCaReachesTheSuperLink(string grpcUrl)
    {
        await using var gateway = await StartTlsGatewayAsync(grpcUrl);

        var reply = await ServerTrustTests.HeartbeatAsync(new Uri($"https://localhost:{gateway.Port}"), _tls.Files.CaCertificate);

        Assert.Equal(42, reply.LeaseExpiresUnixMs);
    }

    [Fact]
    public async Task APlainH2cClientIsRefusedWithAClearLineWhileACallInProgressContinues()
    {
        await using var gateway = await StartTlsGatewayAsync();
        var tlsAddress = new Uri($"https://localhost:{gateway.Port}");
        var plainAddress = new Uri($"http://localhost:{gateway.Port}");
        var inProgress = ServerTrustTests.HeartbeatAsync(tlsAddress, _tls.Files.CaCertificate, nodeId: "slow");
        await _superlink!.SlowCallStarted.WaitAsync(TimeSpan.FromMinutes(1));

        var refused = await Assert.ThrowsAsync<RpcException>(() => ServerTrustTests.HeartbeatAsync(plainAddress, caFile: null));
        _superlink.Release();

        var line = ConnectionProblems.Describe(refused, plainAddress);
        Assert.True(line == $"http://localhost:{gateway.Port} closed the connection on plain h2c: the gateway probably serves TLS. " +
                            $"Use https://localhost:{gateway.Port} with the federation's CA (--ca FILE, the ca.crt from zk0 server cert).",
            $"{line}{Environment.NewLine}{refused.Status.DebugException}");
        Assert.Equal(42, (await inProgress).LeaseExpiresUnixMs);
    }

    [Fact]
    public async Task BrowsersGetHttp11OverTlsOnTheSamePort()
    {
        await using var gateway = await StartTlsGatewayAsync();
        using var http = new HttpClient(ServerTrust.CreateHandler(_tls.Files.CaCertificate));

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://localhost:{gateway.Port}/health")
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
    }

    [Fact]
    public async Task PlainH2cOnANonLoopbackAddressIsWarnedAbout()
    {
        await using var gateway = await TlsGateway.StartAsync(_superlink!.Address, "http://0.0.0.0:{port}", new Dictionary<string, string?>());

        var warning = Assert.Single(gateway.Logs, l => l.StartsWith("Warning Zk0.Gateway.Tls:", StringComparison.Ordinal));
        Assert.Contains($"http://0.0.0.0:{gateway.Port} serves plain h2c on a non-loopback address", warning);
        Assert.Contains("Gateway:Tls:CertificateFile", warning);
    }

    [Fact]
    public async Task PlainH2cOnLoopbackIsSaidToBeForDevelopmentOnly()
    {
        await using var gateway = await TlsGateway.StartAsync(_superlink!.Address, "http://127.0.0.1:{port}", new Dictionary<string, string?>());

        Assert.Contains(gateway.Logs, l => l.StartsWith("Information Zk0.Gateway.Tls:", StringComparison.Ordinal) && l.Contains("for loopback development only"));
        Assert.DoesNotContain(gateway.Logs, l => l.StartsWith("Warning Zk0.Gateway.Tls:", StringComparison.Ordinal));
    }
}
