using Microsoft.Extensions.Configuration;
using Zk0.Federation.Security;
using Zk0.SuperNode.Fleet;
using Zk0.Tests.Federation.Security;

namespace Zk0.Tests.SuperNode;

public sealed class FleetTransportTests
{
    private static FleetTransport From(params (string Key, string Value)[] settings) =>
        FleetTransport.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void PlainH2cToAnotherMachineIsRefusedSayingHowToAllowIt()
    {
        var error = Assert.Throws<InsecureTransportException>(() => From(("SuperNode:FleetAddress", "http://fl.example.org:5180")));

        Assert.Contains("loopback development only", error.Message);
        Assert.Contains("SuperNode:AllowInsecure=true", error.Message);
    }

    [Fact]
    public void PlainH2cToAnotherMachineCanBeAllowedAndIsWarnedAbout()
    {
        var transport = From(("SuperNode:FleetAddress", "http://fl.example.org:5180"), ("SuperNode:AllowInsecure", "true"));

        Assert.Contains("allowed by SuperNode:AllowInsecure=true", transport.Warning);
        Assert.False(transport.IsTls);
    }

    [Fact]
    public void PlainH2cToLoopbackIsWarnedAbout() =>
        Assert.Contains("loopback development only", From(("SuperNode:FleetAddress", "http://127.0.0.1:5180")).Warning);

    [Fact]
    public void TheLocalGraphsDiscoveredGatewayIsWarnedAbout()
    {
        var transport = From(("services:gateway:grpc:0", "http://localhost:5180"));

        Assert.Equal(new Uri("http://_grpc.gateway"), transport.Address);
        Assert.Contains("loopback development only", transport.Warning);
    }

    [Fact]
    public void HttpsWithTheFederationsCaIsQuiet()
    {
        using var folder = new TlsTestFolder();

        var transport = From(("SuperNode:FleetAddress", "https://fl.example.org:5180"), ("SuperNode:CaFile", folder.Files.CaCertificate));

        Assert.True(transport.IsTls);
        Assert.Null(transport.Warning);
        Assert.Equal(folder.Files.CaCertificate, transport.CaFile);
    }

    [Fact]
    public void ACaFileForAPlainAddressSaysToUseHttps()
    {
        using var folder = new TlsTestFolder();

        var error = Assert.Throws<InsecureTransportException>(() =>
            From(("SuperNode:FleetAddress", "http://127.0.0.1:5180"), ("SuperNode:CaFile", folder.Files.CaCertificate)));

        Assert.Contains("use https://127.0.0.1:5180", error.Message);
    }

    [Fact]
    public void AMissingCaFileIsNamed()
    {
        var error = Assert.Throws<ServerTrustException>(() =>
            From(("SuperNode:FleetAddress", "https://fl.example.org:5180"), ("SuperNode:CaFile", "/nowhere/ca.crt")));

        Assert.StartsWith("CA file /nowhere/ca.crt not found", error.Message);
    }
}
