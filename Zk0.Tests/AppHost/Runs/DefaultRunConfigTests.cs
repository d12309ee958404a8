using Zk0.AppHost.Runs;

namespace Zk0.Tests.AppHost.Runs;

public sealed class DefaultRunConfigTests
{
    [Fact]
    public void WithoutARunConfigTheRunIsTheConfigurationThatLearnsOnACpu()
    {
        var config = DefaultRun.Config(4, new Dictionary<string, string>());

        Assert.All(DefaultRun.CpuLearning, setting => Assert.Equal(setting.Value, config[setting.Key]));
        Assert.Equal("bc", config["policy"]);
    }

    [Fact]
    public void SettingsGivenWithoutAPolicyOverrideOnlyTheirOwnKeys()
    {
        var config = DefaultRun.Config(4, new Dictionary<string, string> { ["num-server-rounds"] = "2" });

        Assert.Equal("2", config["num-server-rounds"]);
        Assert.Equal("bc", config["policy"]);
        Assert.Equal(DefaultRun.CpuLearning["local-steps"], config["local-steps"]);
    }

    [Theory]
    [InlineData("policy")]
    [InlineData("policy-type")]
    public void NamingAPolicyLeavesTheCpuLearningSettingsOut(string key)
    {
        var config = DefaultRun.Config(4, new Dictionary<string, string> { [key] = "smolvla" });

        Assert.Equal("smolvla", config[key]);
        Assert.DoesNotContain("local-steps", config.Keys);
        Assert.DoesNotContain("num-server-rounds", config.Keys);
    }

    [Fact]
    public void ABadNodeSettingIsRefusedWithItsKeyBeforeTheRunIsSubmitted()
    {
        var error = Assert.Throws<ArgumentException>(() => DefaultRun.Config(4, new Dictionary<string, string> { ["drift-correction"] = "scafold" }));

        Assert.Contains("'drift-correction'", error.Message);
        Assert.Contains("'scaffold'", error.Message);
    }

    [Fact]
    public void ScaffoldOnTopOfTheDefaultsFedAdamIsRefusedWithTheStrategyToUseBeforeTheRunIsSubmitted()
    {
        var error = Assert.Throws<Zk0.Federation.Runs.RunConfigurationException>(() =>
            DefaultRun.Config(4, new Dictionary<string, string> { ["drift-correction"] = "scaffold" }));

        Assert.Equal("drift-correction", error.Key);
        Assert.Contains("strategy=fedadam", error.Message);
        Assert.Equal("fedavg", DefaultRun.Config(4, new Dictionary<string, string> { ["drift-correction"] = "scaffold", ["strategy"] = "fedavg" })["strategy"]);
    }
}
