using Zk0.Policy.Abstractions;

namespace Zk0.Tests.Policy.Abstractions;

public sealed class RunConfigCatalogTests
{
    [Theory]
    [InlineData("num-server-rounds")]
    [InlineData("strategy")]
    [InlineData("proximal-mu")]
    [InlineData("server-momentum")]
    [InlineData("lr-schedule")]
    [InlineData("plateau-patience")]
    [InlineData("loss-spike-threshold")]
    [InlineData("node-lr-boost")]
    [InlineData("learning-rate")]
    [InlineData("policy")]
    [InlineData("smolvla-hidden")]
    [InlineData("bc-hidden")]
    [InlineData("eval-episodes")]
    public void KeysReadBySuperLinkStrategiesSchedulesNodesAndPoliciesAreKnown(string key)
    {
        Assert.Contains(key, RunConfigCatalog.Keys);
        Assert.Null(RunConfigCatalog.FindUnknownKey([key]));
    }

    [Fact]
    public void ConstantsThatAreNotKeysStayOut()
    {
        Assert.DoesNotContain(RunSettings.DefaultPolicyType, RunConfigCatalog.Keys);
    }

    [Fact]
    public void ATypoIsNamedWithTheKeyItProbablyMeant()
    {
        var problem = RunConfigCatalog.FindUnknownKey(["seed", "num-server-round"]);

        Assert.NotNull(problem);
        Assert.StartsWith("Unknown run-config key 'num-server-round'. Did you mean 'num-server-rounds'?", problem);
        Assert.Contains("Known keys: ", problem);
    }

    [Fact]
    public void AKeyLikeNoKnownOneGetsNoGuess()
    {
        var problem = RunConfigCatalog.FindUnknownKey(["completely-unrelated-setting"]);

        Assert.NotNull(problem);
        Assert.DoesNotContain("Did you mean", problem);
    }

    [Fact]
    public void KeysTheCallerAddsAreAcceptedToo()
    {
        Assert.Null(RunConfigCatalog.FindUnknownKey(["checkpoint-interval"], alsoKnown: ["checkpoint-interval"]));
        Assert.NotNull(RunConfigCatalog.FindUnknownKey(["checkpoint-interval"]));
    }
}
