using Zk0.Policy.SmolVla.Checkpoint;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla;

/// <summary>The raw LeRobot batch through the policy's own preprocessing, and the checkpoint directory round trip.</summary>
[Trait("Category", "SmolVLAParity")]
public sealed class SmolVlaEndToEndTests
{
    private static readonly SmolVlaParityRun Run = new();

    private static Dictionary<string, Tensor> RawBatch()
    {
        var batch = new Dictionary<string, Tensor>();
        foreach (var camera in Run.Cameras)
        {
            batch[$"observation.images.{camera}"] = Run.Input($"observation.images.{camera}");
            if (Run.TryInput($"observation.images.{camera}_padding_mask") is { } mask)
                batch[$"observation.images.{camera}_padding_mask"] = mask;
        }
        foreach (var key in new[] { "observation.state", "observation.language.tokens", "observation.language.attention_mask" })
            batch[key] = Run.Input(key);
        return batch;
    }

    [Fact]
    public void RawBatchThroughPreprocessingGivesTheReferenceActionsAndMaskedLoss()
    {
        using var policy = Run.LoadPolicy();
        using var noGrad = no_grad();
        var inputs = policy.Prepare(RawBatch());
        var calls = (int)Run.Expected("infer.select_action").shape[0];
        using var selected = stack(Enumerable.Range(0, calls).Select(_ => policy.SelectAction(inputs, Run.Input("infer.noise"))).ToList());
        TensorAssert.Close(Run.Expected("infer.select_action"), selected, TensorAssert.Forward, "infer.select_action from the raw batch");

        using var actions = policy.Preprocessor.PrepareActions(Run.Input("action"));
        using var loss = policy.Loss(inputs, actions, Run.Input("action_is_pad").to(ScalarType.Bool), Run.Input("train.noise"), Run.Input("train.time"));
        TensorAssert.Close(Run.Expected("train.loss_masked"), loss.reshape(1), TensorAssert.Forward, "train.loss_masked from the raw batch");
    }

    [Fact]
    public void CheckpointDirectoryRoundTripKeepsWeightsConfigurationAndOutputs()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"zk0-smolvla-ckpt-{Guid.NewGuid():N}");
        try
        {
            using var original = Run.LoadPolicy();
            SmolVlaCheckpoint.Save(original, dir);
            Assert.True(File.Exists(Path.Combine(dir, "config.json")));
            using var reloaded = SmolVlaCheckpoint.Load(dir);
            Assert.Equal(original.Architecture.Vlm, reloaded.Architecture.Vlm);
            Assert.Equal(original.Architecture.ExpertHiddenSize, reloaded.Architecture.ExpertHiddenSize);
            Assert.Equal(original.Config.ChunkSize, reloaded.Config.ChunkSize);
            var before = original.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, parameter) in reloaded.named_parameters())
                Assert.True(before[name].eq(parameter).all().item<bool>(), $"{name} changed in the directory round trip");

            using var noGrad = no_grad();
            using var a = original.PredictActionChunk(Run.Inputs, Run.Input("infer.noise"));
            using var b = reloaded.PredictActionChunk(Run.Inputs, Run.Input("infer.noise"));
            Assert.True(a.eq(b).all().item<bool>());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
