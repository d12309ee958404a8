using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Zk0.Federation.Protocol;
using Zk0.Federation.Security;

namespace Zk0.Tests.Federation.Security;

/// <summary>Real gRPC calls to a Kestrel serving TLS with a <c>zk0 server cert</c> certificate.</summary>
public sealed class ServerTrustTests
{
    [Fact]
    public async Task ACallVerifiedAgainstTheFederationsCaSucceeds()
    {
        using var folder = new TlsTestFolder();
        using var certificate = ServerCertificate(folder);
        await using var server = await HeartbeatServer.StartAsync(certificate);

        var reply = await HeartbeatAsync(new Uri($"https://localhost:{server.Port}"), folder.Files.CaCertificate);

        Assert.Equal(42, reply.LeaseExpiresUnixMs);
    }

    [Fact]
    public async Task AnotherFederationsCaIsRefusedNamingTheCaFile()
    {
        using var folder = new TlsTestFolder();
        using var other = new TlsTestFolder();
        using var certificate = ServerCertificate(folder);
        await using var server = await HeartbeatServer.StartAsync(certificate);
        var address = new Uri($"https://localhost:{server.Port}");

        var error = await Assert.ThrowsAsync<RpcException>(() => HeartbeatAsync(address, other.Files.CaCertificate));
        var line = ConnectionProblems.Describe(error, address);

        Assert.Contains("was not issued by the CA in " + other.Files.CaCertificate, line);
        Assert.Contains("--ca FILE", line);
        Assert.StartsWith($"https://localhost:{server.Port} is not trusted", line);
        Assert.DoesNotContain('\n', line);
        // What a SuperNode logs when it retries (the status detail) carries the reason too.
        Assert.Contains("was not issued by the CA in " + other.Files.CaCertificate, error.Status.Detail);
    }

    [Fact]
    public async Task ACertificateForAnotherNameIsRefusedNamingTheNamesItIsFor()
    {
        using var folder = new TlsTestFolder();
        using var ca = X509Certificate2.CreateFromPemFile(folder.Files.CaCertificate, folder.Files.CaKey);
        using var certificate = CertificateAuthority.IssueServerCertificate(ca, ["fl.example.org"]);
        await using var server = await HeartbeatServer.StartAsync(certificate);
        var address = new Uri($"https://127.0.0.1:{server.Port}");

        var error = await Assert.ThrowsAsync<RpcException>(() => HeartbeatAsync(address, folder.Files.CaCertificate));
        var line = ConnectionProblems.Describe(error, address);

        Assert.Contains("is for fl.example.org, not '127.0.0.1'", line);
        Assert.Contains("zk0 server cert --host 127.0.0.1", line);
    }

    [Fact]
    public async Task WithoutACaFileAPrivateCaIsRefusedSayingToPassIt()
    {
        using var folder = new TlsTestFolder();
        using var certificate = ServerCertificate(folder);
        await using var server = await HeartbeatServer.StartAsync(certificate);
        var address = new Uri($"https://localhost:{server.Port}");

        var error = await Assert.ThrowsAsync<RpcException>(() => HeartbeatAsync(address, caFile: null));

        Assert.Contains("not trusted by this machine", ConnectionProblems.Describe(error, address));
        Assert.Contains("--ca FILE", ConnectionProblems.Describe(error, address));
    }

    [Fact]
    public async Task AnExpiredCertificateSaysSoAndHowToRenewIt()
    {
        using var folder = new TlsTestFolder();
        using var ca = X509Certificate2.CreateFromPemFile(folder.Files.CaCertificate, folder.Files.CaKey);
        using var certificate = Expired(ca);
        await using var server = await HeartbeatServer.StartAsync(certificate);
        var address = new Uri($"https://localhost:{server.Port}");

        var error = await Assert.ThrowsAsync<RpcException>(() => HeartbeatAsync(address, folder.Files.CaCertificate));
        var line = ConnectionProblems.Describe(error, address);

        Assert.Contains("not now", line);
        Assert.Contains("reissue it with `zk0 server cert` (the CA stays)", line);
    }

    private static X509Certificate2 Expired(X509Certificate2 ca)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var caKey = ca.GetECDsaPrivateKey()!;
        using var signed = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1), [1, 2, 3, 4]);
        return signed.CopyWithPrivateKey(key);
    }

    [Fact]
    public void AMissingOrBrokenCaFileIsNamed()
    {
        using var folder = new TlsTestFolder();
        var missing = folder.Path("nope.crt");
        File.WriteAllText(folder.Path("broken.crt"), "not a certificate");

        Assert.Contains(missing + " not found", Assert.Throws<ServerTrustException>(() => ServerTrust.CreateHandler(missing)).Message);
        Assert.Contains("broken.crt is not a certificate", Assert.Throws<ServerTrustException>(() => ServerTrust.CreateHandler(folder.Path("broken.crt"))).Message);
    }

    internal static X509Certificate2 ServerCertificate(TlsTestFolder folder) =>
        X509Certificate2.CreateFromPemFile(folder.Files.ServerCertificate, folder.Files.ServerKey);

    internal static async Task<HeartbeatReply> HeartbeatAsync(Uri address, string? caFile, string nodeId = "n1")
    {
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = ServerTrust.CreateHandler(caFile) });
        return await new Fleet.FleetClient(channel).HeartbeatAsync(new HeartbeatRequest { NodeId = nodeId }, deadline: DateTime.UtcNow.AddMinutes(1));
    }
}
