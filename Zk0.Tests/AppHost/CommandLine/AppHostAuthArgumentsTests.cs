using Zk0.AppHost.CommandLine;

namespace Zk0.Tests.AppHost.CommandLine;

public sealed class AppHostAuthArgumentsTests
{
    [Fact]
    public void AuthenticationIsOffForTheLocalDemoAndOnWithAuth()
    {
        Assert.False(AppHostArguments.Parse([]).Auth);
        Assert.True(AppHostArguments.Parse(["--auth", "--nodes", "2"]).Auth);
        Assert.DoesNotContain("--auth", AppHostArguments.Parse(["--auth"]).AspireArguments);
    }

    [Fact]
    public void APublishedManifestAlwaysHasAuthentication()
    {
        Assert.True(AppHostArguments.Parse(["--publisher", "manifest", "--output-path", "m.json"]).Auth);
    }

    [Fact]
    public void NoLocalNodesMeansNoRunIsSubmitted()
    {
        var parsed = AppHostArguments.Parse(["--nodes", "0", "--auth"]);

        Assert.Equal(0, parsed.Nodes);
        Assert.False(parsed.SubmitRun);
    }

    [Fact]
    public void TheUsageNamesTheAuthFlagAndWhereTheTokenIs()
    {
        Assert.Contains("--auth", AppHostArguments.Usage);
        Assert.Contains("export ZK0_TOKEN=$(cat .zk0/operator-token)", AppHostArguments.Usage);
        Assert.Contains("0: the federation's side only", AppHostArguments.Usage);
    }
}
