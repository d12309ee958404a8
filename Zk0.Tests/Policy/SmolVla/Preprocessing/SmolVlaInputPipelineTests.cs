using System.Text.Json.Nodes;
using TorchSharp;
using Zk0.Policy.Checkpoints;
using Zk0.Policy.SmolVla.Preprocessing;
using Zk0.Policy.Tokenization;
using Zk0.Tests.Federation.Safetensors;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla.Preprocessing;

public class SmolVlaInputPipelineTests
{
    private static SmolVlaInputPipeline Pipeline(float[] mean, float[] std)
    {
        var config = JsonNode.Parse(File.ReadAllText(SharedFixtures.SmolVla("config.json")))!["smolvla"]!.AsObject();
        var options = SmolVlaPreprocessingOptions.FromPolicyConfig(config);
        var tokenizer = LanguageTokenizer.FromDirectory(SharedFixtures.TokenizerDirectory, new LanguageTokenizerOptions(Padding: LanguagePadding.MaxLength));
        var stats = new Dictionary<string, (Tensor, Tensor)>
        {
            ["observation.state"] = (torch.tensor(mean), torch.tensor(std)),
            ["action"] = (torch.tensor(mean), torch.tensor(std)),
        };
        return new SmolVlaInputPipeline(new SmolVlaPreprocessor(options), tokenizer, new MeanStdNormalizer(stats));
    }

    [Fact]
    public void WithUnitStatisticsTheFixtureBatchBecomesLeRobotsPreparedTensors()
    {
        using var scope = torch.NewDisposeScope();
        var inputs = SafetensorsTorch.LoadAll(SharedFixtures.SmolVla("inputs.safetensors"));
        var pipeline = Pipeline(new float[6], Enumerable.Repeat(1f, 6).ToArray());

        using var prepared = pipeline.Prepare(inputs, ["Put the red LEGO in the bin"]);

        Assert.True(inputs["pp.state"].equal(prepared.State).all().item<bool>());
        Assert.True(inputs["pp.action"].equal(prepared.Actions!).all().item<bool>());
        Assert.True(inputs["action_is_pad"].to(ScalarType.Bool).equal(prepared.ActionIsPad!).all().item<bool>());
        Assert.True(inputs["pp.image.cam_high"].allclose(prepared.Images.Images[0], rtol: 0, atol: 2e-5));
        Assert.Equal(new long[] { 2, 48 }, prepared.LanguageTokens.shape);
        Assert.Equal(new long[] { 22030, 260, 2382, 42322, 281, 260, 10047, 198, 2 }, prepared.LanguageTokens[1, ..9].data<long>().ToArray());
        Assert.Equal(8L, prepared.LanguageMask[1].sum().item<long>());
    }

    [Fact]
    public void StateIsNormalizedBeforePaddingAndActionsComeBackUnnormalized()
    {
        using var scope = torch.NewDisposeScope();
        var mean = new[] { 1f, 2f, 3f, 4f, 5f, 6f };
        var std = new[] { 2f, 2f, 2f, 2f, 2f, 2f };
        var pipeline = Pipeline(mean, std);
        var batch = new Dictionary<string, Tensor>
        {
            ["observation.images.cam_high"] = torch.rand(1, 3, 48, 80),
            ["observation.state"] = torch.tensor(mean).reshape(1, 6) + 2,
        };

        using var prepared = pipeline.Prepare(batch, ["pick"]);
        var finished = pipeline.Finish(torch.ones(1, 5, 32), actionDim: 6);

        Assert.Equal(new[] { 1f, 1, 1, 1, 1, 1, 0, 0 }, prepared.State[0, ..8].data<float>().ToArray());
        Assert.Null(prepared.Actions);
        Assert.Equal(new long[] { 1, 5, 6 }, finished.shape);
        Assert.Equal(new[] { 3f, 4, 5, 6, 7, 8 }, finished[0, 0].data<float>().ToArray());
    }

    [Fact]
    public void ATaskCountThatMatchesNeitherOneNorTheBatchIsRejected()
    {
        using var scope = torch.NewDisposeScope();
        var pipeline = Pipeline(new float[6], Enumerable.Repeat(1f, 6).ToArray());
        var batch = new Dictionary<string, Tensor>
        {
            ["observation.images.cam_high"] = torch.rand(3, 3, 48, 80),
            ["observation.state"] = torch.zeros(3, 6),
        };

        var error = Assert.Throws<ArgumentException>(() => pipeline.Prepare(batch, ["a", "b"]));

        Assert.Contains("2 task strings for a batch of 3", error.Message);
    }
}
