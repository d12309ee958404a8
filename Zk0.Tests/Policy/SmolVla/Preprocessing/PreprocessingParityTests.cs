using System.Text.Json.Nodes;
using TorchSharp;
using Zk0.Federation.Safetensors;
using Zk0.Policy.Checkpoints;
using Zk0.Policy.SmolVla.Preprocessing;
using Zk0.Tests.Federation.Safetensors;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla.Preprocessing;

/// <summary>
/// Stage 1 of the fixture README's check order: the <c>pp.*</c> tensors of inputs.safetensors, which LeRobot's
/// own prepare_images / prepare_state / prepare_action produced from the raw batch in the same file.
/// Cameras, sizes and dims come from the fixture's config.json, so other fixture sets run unchanged.
/// </summary>
[Trait("Category", "SmolVLAParity")]
public class PreprocessingParityTests
{
    private const double ForwardTolerance = 2e-5;

    private static SmolVlaPreprocessingOptions FixtureOptions()
    {
        var config = JsonNode.Parse(File.ReadAllText(SharedFixtures.SmolVla("config.json")))!.AsObject();
        return SmolVlaPreprocessingOptions.FromPolicyConfig(config["smolvla"]!.AsObject());
    }

    [Fact]
    public void ImagesAreResizedPaddedAndScaledExactlyAsLeRobotDoes()
    {
        using var scope = torch.NewDisposeScope();
        var options = FixtureOptions();
        Assert.NotEmpty(options.CameraKeys);
        var inputs = SafetensorsTorch.LoadAll(SharedFixtures.SmolVla("inputs.safetensors"));

        var prepared = new SmolVlaPreprocessor(options).PrepareImages(inputs);

        Assert.Equal(options.CameraKeys.Count, prepared.Images.Count);
        for (var i = 0; i < options.CameraKeys.Count; i++)
        {
            var camera = options.CameraKeys[i]["observation.images.".Length..];
            AssertClose(inputs[$"pp.image.{camera}"], prepared.Images[i], $"pp.image.{camera}");
            Assert.Equal(ScalarType.Bool, prepared.Masks[i].dtype);
            Assert.True(inputs[$"pp.img_mask.{camera}"].to(ScalarType.Bool).equal(prepared.Masks[i]).all().item<bool>(), $"pp.img_mask.{camera}");
        }
    }

    [Fact]
    public void StateAndActionsAreZeroPaddedToTheMaximumDims()
    {
        using var scope = torch.NewDisposeScope();
        var preprocessor = new SmolVlaPreprocessor(FixtureOptions());
        var inputs = SafetensorsTorch.LoadAll(SharedFixtures.SmolVla("inputs.safetensors"));

        var state = preprocessor.PrepareState(inputs["observation.state"]);
        var actions = preprocessor.PrepareActions(inputs["action"]);

        Assert.Equal(inputs["pp.state"].shape, state.shape);
        Assert.Equal(inputs["pp.action"].shape, actions.shape);
        Assert.True(inputs["pp.state"].equal(state).all().item<bool>(), "pp.state");
        Assert.True(inputs["pp.action"].equal(actions).all().item<bool>(), "pp.action");
    }

    private static void AssertClose(Tensor expected, Tensor actual, string name)
    {
        Assert.Equal(expected.shape, actual.shape);
        var scale = Math.Max(1.0, expected.abs().max().item<float>());
        var error = (expected - actual.to(expected.device)).abs().max().item<float>();
        Assert.True(error <= ForwardTolerance * scale, $"{name}: max |port − ref| = {error:G4} exceeds {ForwardTolerance * scale:G4}");
    }
}
