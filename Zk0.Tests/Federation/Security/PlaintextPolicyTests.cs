using Zk0.Federation.Security;

namespace Zk0.Tests.Federation.Security;

public sealed class PlaintextPolicyTests
{
    [Theory]
    [InlineData("https://fl.example.org:5180")]
    [InlineData("https://localhost:5180")]
    public void HttpsNeedsNoWord(string server) => Assert.Null(PlaintextPolicy.Check(new Uri(server), allowInsecure: false));

    [Theory]
    [InlineData("http://localhost:5180")]
    [InlineData("http://127.0.0.1:5180")]
    [InlineData("http://127.0.0.7:5180")]
    [InlineData("http://[::1]:5180")]
    public void PlainH2cToLoopbackIsAllowedWithAWarning(string server)
    {
        var warning = PlaintextPolicy.Check(new Uri(server), allowInsecure: false);

        Assert.Equal($"{new Uri(server)} is plain h2c (no TLS): for loopback development only.", warning);
    }

    [Theory]
    [InlineData("http://fl.example.org:5180")]
    [InlineData("http://10.0.0.5:5180")]
    public void PlainH2cToAnotherMachineIsRefusedSayingWhatToDo(string server)
    {
        var error = Assert.Throws<InsecureTransportException>(() => PlaintextPolicy.Check(new Uri(server), allowInsecure: false, "SuperNode:AllowInsecure=true"));

        Assert.Contains("loopback development only", error.Message);
        Assert.Contains($"https://{new Uri(server).Authority}", error.Message);
        Assert.Contains("--ca FILE", error.Message);
        Assert.Contains("SuperNode:AllowInsecure=true", error.Message);
    }

    [Fact]
    public void PlainH2cToAnotherMachineThatIsAllowedIsStillWarnedAbout()
    {
        var warning = PlaintextPolicy.Check(new Uri("http://10.0.0.5:5180"), allowInsecure: true, "--allow-insecure");

        Assert.Contains("allowed by --allow-insecure", warning);
    }

    [Fact]
    public void AnotherSchemeIsRefused() =>
        Assert.Throws<InsecureTransportException>(() => PlaintextPolicy.Check(new Uri("ftp://fl.example.org"), allowInsecure: true));
}
