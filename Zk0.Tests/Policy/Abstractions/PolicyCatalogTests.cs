using Zk0.Policy.Abstractions;
using Zk0.Policy.BehaviourCloning;
using Zk0.Tests.Policy.BehaviourCloning;

namespace Zk0.Tests.Policy.Abstractions;

public class PolicyCatalogTests
{
    private readonly PolicyCatalog _catalog = new([new BehaviourCloningPolicyFactory()]);

    [Fact]
    public void CatalogBuildsARegisteredPolicyType()
    {
        using var policy = _catalog.Create("behaviour-cloning", new PolicyCreateOptions(TinyPolicyData.Features, new Dictionary<string, string>(), 1));

        Assert.Equal("behaviour-cloning", policy.PolicyType);
    }

    [Fact]
    public void AnUnknownPolicyTypeNamesTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            _catalog.Create("gpt", new PolicyCreateOptions(TinyPolicyData.Features, new Dictionary<string, string>(), 1)));

        Assert.Contains("'gpt'", error.Message);
        Assert.Contains("behaviour-cloning", error.Message);
    }

    [Fact]
    public void RunSettingsReadFlowerStyleKeysAndRejectBadValues()
    {
        var settings = RunSettings.From(new Dictionary<string, string> { ["local-steps"] = "3", ["proximal-mu"] = "0.01", ["wire-dtype"] = "bfloat16" });

        Assert.Equal(3, settings.LocalSteps);
        Assert.Equal(0.01, settings.ProximalMu);
        Assert.Equal(Zk0.Federation.Safetensors.SafetensorsDType.BF16, settings.WireDType);
        var error = Assert.Throws<ArgumentException>(() => RunSettings.From(new Dictionary<string, string> { ["batch-size"] = "many" }));
        Assert.Contains("batch-size", error.Message);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("none", false)]
    [InlineData("scaffold", true)]
    [InlineData(" SCAFFOLD ", true)]
    public void DriftCorrectionIsOffUnlessTheRunAsksForScaffold(string? value, bool scaffold)
    {
        var config = new Dictionary<string, string>();
        if (value is not null) config["drift-correction"] = value;

        Assert.Equal(scaffold, RunSettings.From(config).Scaffold);
    }

    [Fact]
    public void AnUnknownDriftCorrectionIsRefusedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => RunSettings.From(new Dictionary<string, string> { ["drift-correction"] = "scaffolding" }));

        Assert.Contains("'drift-correction'", error.Message);
        Assert.Contains("'scaffolding'", error.Message);
    }

    [Theory]
    [InlineData(null, LocalOptimizer.AdamW)]
    [InlineData("adamw", LocalOptimizer.AdamW)]
    [InlineData(" SGD ", LocalOptimizer.Sgd)]
    public void NodesTrainWithAdamWUnlessTheRunAsksForSgd(string? value, LocalOptimizer expected)
    {
        var config = new Dictionary<string, string>();
        if (value is not null) config["local-optimizer"] = value;

        var settings = RunSettings.From(config);

        Assert.Equal(expected, settings.LocalOptimizer);
        Assert.Equal(expected, settings.TrainingOptions(seed: 1).Optimizer);
    }

    [Fact]
    public void AnUnknownLocalOptimizerIsRefusedByNameWithTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => RunSettings.From(new Dictionary<string, string> { ["local-optimizer"] = "adam" }));

        Assert.Contains("'local-optimizer'", error.Message);
        Assert.Contains("'adam'", error.Message);
        Assert.Contains("'sgd'", error.Message);
    }
}
