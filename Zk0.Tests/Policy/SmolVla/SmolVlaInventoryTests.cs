using System.Text.Json.Nodes;
using Zk0.Policy.SmolVla;
using Zk0.Policy.SmolVla.Configuration;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla;

public sealed class SmolVlaInventoryTests
{
    [Fact]
    public void SmolVlaBaseHasLeRobotsExactStateDictKeysShapesAndParameterCounts()
    {
        var report = JsonNode.Parse(File.ReadAllText(SmolVlaFixtureFiles.PathOf("reference_report.json")))!["full_size"]!;
        var expected = report["state_dict_keys"]!.AsArray()
            .Select(e => (Name: e![0]!.GetValue<string>(), Shape: string.Join(",", e[1]!.AsArray().Select(d => d!.GetValue<long>()))))
            .ToList();

        using var policy = new SmolVlaPolicy(SmolVlaArchitecture.SmolVlaBase, new TensorPlacement(META, ScalarType.Float32));
        var actual = policy.named_parameters()
            .Select(p => (Name: p.name, Shape: string.Join(",", p.parameter.shape)))
            .ToList();

        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.OrderBy(e => e.Name, StringComparer.Ordinal), actual.OrderBy(a => a.Name, StringComparer.Ordinal));
        var total = policy.named_parameters().Sum(p => p.parameter.numel());
        var trainable = policy.named_parameters().Where(p => p.parameter.requires_grad).Sum(p => p.parameter.numel());
        Assert.Equal(report["total_params"]!.GetValue<long>(), total);
        Assert.Equal(report["trainable_params_default_freeze"]!.GetValue<long>(), trainable);
        Assert.Equal(450_046_176L, total);
        Assert.Equal(99_880_992L, trainable);
    }

    [Fact]
    public void ExpertSizesFollowLeRobotsRules()
    {
        Assert.Equal(720, SmolVlaArchitecture.SmolVlaBase.ExpertHiddenSize);
        Assert.Equal(2048, SmolVlaArchitecture.SmolVlaBase.ExpertIntermediateSize);
        Assert.Equal(64, SmolVlaArchitecture.SmolVlaBase.ImageTokensPerCamera);
        Assert.Equal(256, SmolVlaArchitecture.IntermediateSizeFor(48));
    }

    [Fact]
    public void FixtureConfigurationIsReadWithoutHardCodedSizes()
    {
        var arch = SmolVlaConfigJson.Load(SmolVlaFixtureFiles.PathOf("config.json"));
        var derived = JsonNode.Parse(File.ReadAllText(SmolVlaFixtureFiles.PathOf("config.json")))!["derived"]!;
        Assert.Equal(derived["expert_hidden_size"]!.GetValue<int>(), arch.ExpertHiddenSize);
        Assert.Equal(derived["expert_intermediate_size"]!.GetValue<int>(), arch.ExpertIntermediateSize);
        Assert.Equal(derived["num_vlm_layers"]!.GetValue<int>(), arch.VlmLayers);
        Assert.Equal(derived["num_expert_layers"]!.GetValue<int>(), arch.ExpertLayers);
        Assert.Equal(derived["image_tokens_per_camera"]!.GetValue<int>(), arch.ImageTokensPerCamera);
        Assert.Equal(derived["head_dim"]!.GetValue<int>(), arch.HeadDim);
    }
}
