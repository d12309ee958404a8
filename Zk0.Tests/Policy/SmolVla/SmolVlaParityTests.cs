using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla;

/// <summary>
/// Parity with LeRobot's SmolVLA on the golden fixtures, one test per stage of the fixture README's check order,
/// each against the README's tolerance.
/// </summary>
[Trait("Category", "SmolVLAParity")]
public sealed class SmolVlaParityTests(SmolVlaParityRun run) : IClassFixture<SmolVlaParityRun>
{
    [Fact]
    public void VisionTowerOutputMatchesForEveryCamera()
    {
        using var noGrad = no_grad();
        var vlm = run.Policy.Model.VlmWithExpert.Vlm;
        foreach (var camera in run.Cameras)
        {
            using var output = vlm.VisionTower.Forward(run.Input($"pp.image.{camera}"));
            TensorAssert.Close(run.Expected($"prefix.vision_out.{camera}"), output, TensorAssert.Forward, $"prefix.vision_out.{camera}");
        }
    }

    [Fact]
    public void ImageEmbeddingsMatchForEveryCamera()
    {
        using var noGrad = no_grad();
        var vlm = run.Policy.Model.VlmWithExpert.Vlm;
        foreach (var camera in run.Cameras)
        {
            using var embedding = vlm.EmbedImage(run.Input($"pp.image.{camera}"));
            TensorAssert.Close(run.Expected($"prefix.image_emb.{camera}"), embedding, TensorAssert.Forward, $"prefix.image_emb.{camera}");
        }
    }

    [Fact]
    public void PrefixEmbeddingsAndMasksMatch()
    {
        using var noGrad = no_grad();
        using var prefix = run.Policy.Model.EmbedPrefix(run.Inputs);
        TensorAssert.Close(run.Expected("prefix.embs"), prefix.Embeddings, TensorAssert.Forward, "prefix.embs");
        TensorAssert.Exact(run.Expected("prefix.pad_masks"), prefix.PadMasks, "prefix.pad_masks");
        TensorAssert.Exact(run.Expected("prefix.att_masks"), prefix.Marks, "prefix.att_masks");
    }

    [Fact]
    public void AttentionMaskAndPositionsMatchExactly()
    {
        TensorAssert.Exact(run.Expected("train.att_2d_masks"), run.TrainingForward.AttentionMask, "train.att_2d_masks");
        TensorAssert.Exact(run.Expected("train.position_ids"), run.TrainingForward.PositionIds, "train.position_ids");
    }

    [Fact]
    public void NoisyActionsTargetAndSuffixEmbeddingsMatch()
    {
        var forward = run.TrainingForward;
        TensorAssert.Close(run.Expected("train.x_t"), forward.NoisyActions, TensorAssert.Forward, "train.x_t");
        TensorAssert.Close(run.Expected("train.u_t"), forward.TargetVelocity, TensorAssert.Forward, "train.u_t");
        TensorAssert.Close(run.Expected("train.suffix_embs"), forward.SuffixEmbeddings, TensorAssert.Forward, "train.suffix_embs");
        using var noGrad = no_grad();
        using var suffix = run.Policy.Model.EmbedSuffix(forward.NoisyActions, run.Input("train.time"));
        TensorAssert.Close(run.Expected("train.suffix_att_masks"), suffix.Marks, 0, "train.suffix_att_masks");
    }

    [Fact]
    public void JointTransformerStreamsMatch()
    {
        TensorAssert.Close(run.Expected("train.prefix_out"), run.TrainingForward.PrefixOut, TensorAssert.Forward, "train.prefix_out");
        TensorAssert.Close(run.Expected("train.suffix_out"), run.TrainingForward.SuffixOut, TensorAssert.Forward, "train.suffix_out");
    }

    [Fact]
    public void VelocityMatches() =>
        TensorAssert.Close(run.Expected("train.v_t"), run.TrainingForward.Velocity, TensorAssert.Forward, "train.v_t");

    [Fact]
    public void LossesWithoutPaddingMatch()
    {
        var losses = run.TrainingForward.Losses;
        var actionDim = run.Architecture.Policy.ActionDim;
        TensorAssert.Close(run.Expected("train.losses_full"), losses, TensorAssert.Forward, "train.losses_full");
        TensorAssert.Close(run.Expected("train.losses"), losses.narrow(2, 0, actionDim), TensorAssert.Forward, "train.losses");
        using var loss = Zk0.Policy.SmolVla.FlowMatching.PolicyLoss.Reduce(losses, actionDim, null);
        using var perSample = Zk0.Policy.SmolVla.FlowMatching.PolicyLoss.Reduce(losses, actionDim, null, perSample: true);
        TensorAssert.Close(run.Expected("train.loss"), loss.reshape(1), TensorAssert.Forward, "train.loss");
        TensorAssert.Close(run.Expected("train.per_sample_loss"), perSample, TensorAssert.Forward, "train.per_sample_loss");
    }

    [Fact]
    public void LossesWithPaddingMatch()
    {
        using var noGrad = no_grad();
        var pad = run.Input("action_is_pad").to(ScalarType.Bool);
        var actions = run.Input("pp.action");
        using var loss = run.Policy.Loss(run.Inputs, actions, pad, run.Input("train.noise"), run.Input("train.time"));
        using var perSample = run.Policy.Loss(run.Inputs, actions, pad, run.Input("train.noise"), run.Input("train.time"), perSample: true);
        TensorAssert.Close(run.Expected("train.loss_masked"), loss.reshape(1), TensorAssert.Forward, "train.loss_masked");
        TensorAssert.Close(run.Expected("train.per_sample_loss_masked"), perSample, TensorAssert.Forward, "train.per_sample_loss_masked");
    }

    [Fact]
    public void PrefixKvCacheAndPrefillOutputMatch()
    {
        var context = run.Inference.Context;
        Assert.Equal(run.Architecture.VlmLayers, context.Cache.Count);
        for (var layer = 0; layer < context.Cache.Count; layer++)
        {
            var (k, v) = context.Cache.InCacheLayout(layer);
            TensorAssert.Close(run.Expected($"infer.prefix_cache.k.{layer}"), k, TensorAssert.Forward, $"infer.prefix_cache.k.{layer}");
            TensorAssert.Close(run.Expected($"infer.prefix_cache.v.{layer}"), v, TensorAssert.Forward, $"infer.prefix_cache.v.{layer}");
        }
        TensorAssert.Close(run.Expected("infer.prefix_out"), context.PrefixOut, TensorAssert.Forward, "infer.prefix_out");
    }

    [Fact]
    public void DenoiseStepMaskAndPositionsMatchExactly()
    {
        using var noGrad = no_grad();
        using var suffix = run.Policy.Model.EmbedSuffix(run.Input("infer.noise"), full([run.Inputs.BatchSize], 1.0f));
        var (mask, positions) = Zk0.Policy.SmolVla.VlaFlowMatching.SuffixAttention(run.Inference.Context.PadMasks, suffix);
        TensorAssert.Exact(run.Expected("infer.suffix_att_2d_masks.step0"), mask, "infer.suffix_att_2d_masks.step0");
        TensorAssert.Exact(run.Expected("infer.suffix_position_ids.step0"), positions, "infer.suffix_position_ids.step0");
    }

    [Fact]
    public void FirstDenoiseVelocityMatches() =>
        TensorAssert.Close(run.Expected("infer.v_t")[0], run.Inference.Velocities[0], TensorAssert.Forward, "infer.v_t[0]");

    [Fact]
    public void EveryEulerStepMatches()
    {
        var inference = run.Inference;
        var expectedTimes = run.Expected("infer.timesteps");
        Assert.Equal(expectedTimes.shape[0], inference.Times.Count);
        for (var step = 0; step < inference.Times.Count; step++)
        {
            Assert.Equal(expectedTimes[step].item<float>(), inference.Times[step]);
            TensorAssert.Close(run.Expected("infer.x_t")[step], inference.Trajectory[step], TensorAssert.Forward, $"infer.x_t[{step}]");
            TensorAssert.Close(run.Expected("infer.v_t")[step], inference.Velocities[step], TensorAssert.Forward, $"infer.v_t[{step}]");
        }
        var last = inference.Times.Count;
        TensorAssert.Close(run.Expected("infer.x_t")[last], inference.Trajectory[last], TensorAssert.Forward, $"infer.x_t[{last}]");
    }

    [Fact]
    public void SampledActionsAndChunkMatch()
    {
        TensorAssert.Close(run.Expected("infer.actions_padded"), run.Inference.ActionsPadded, TensorAssert.Forward, "infer.actions_padded");
        TensorAssert.Close(run.Expected("infer.action_chunk"), run.Inference.ActionChunk, TensorAssert.Forward, "infer.action_chunk");
    }

    [Fact]
    public void SelectActionServesTheChunkStepByStep() =>
        TensorAssert.Close(run.Expected("infer.select_action"), run.Inference.SelectedActions, TensorAssert.Forward, "infer.select_action");

    [Fact]
    public void CachedDenoiseAtTheTrainingPointEqualsTheTrainingVelocity() =>
        TensorAssert.Close(run.Expected("check.v_t_cached_at_train_xt"), run.Inference.CachedVelocityAtTrainingPoint,
            TensorAssert.Forward, "check.v_t_cached_at_train_xt");

    [Fact]
    public void EveryGradientMatches()
    {
        var training = run.Training;
        TensorAssert.Close(run.TrainStep("step.loss"), tensor(new[] { (float)training.Loss }), TensorAssert.Forward, "step.loss");
        var expectedNames = run.TrainStepNames("grad.").Select(n => n["grad.".Length..]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedNames, training.TrainableNames.Order(StringComparer.Ordinal).ToList());
        foreach (var name in expectedNames)
        {
            Assert.True(training.Gradients.TryGetValue(name, out var gradient), $"{name} received no gradient");
            TensorAssert.Close(run.TrainStep($"grad.{name}"), gradient!, TensorAssert.Gradient, $"grad.{name}");
        }
    }

    [Fact]
    public void GradientNormMatches() =>
        TensorAssert.Close(run.TrainStep("step.grad_norm"), tensor(new[] { (float)run.Training.GradNorm }), TensorAssert.Gradient, "step.grad_norm");

    [Fact]
    public void ParametersAfterOneAdamWStepMatch()
    {
        var names = run.TrainStepNames("param_after.").ToList();
        Assert.NotEmpty(names);
        foreach (var key in names)
        {
            var name = key["param_after.".Length..];
            Assert.True(run.Training.ParametersAfter.TryGetValue(name, out var parameter), $"the port has no parameter {name}");
            TensorAssert.Close(run.TrainStep(key), parameter!, 2e-5, key, absolute: true);
        }
    }

    [Fact]
    public void LossAfterTheStepMatches() =>
        TensorAssert.Close(run.TrainStep("step.loss_after"), tensor(new[] { (float)run.Training.LossAfter }), TensorAssert.Forward, "step.loss_after");
}
