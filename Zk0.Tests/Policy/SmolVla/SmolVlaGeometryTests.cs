using Zk0.Policy.SmolVla;
using Zk0.Policy.SmolVla.Configuration;
using Zk0.Policy.SmolVla.Embeddings;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla;

/// <summary>
/// Geometries other than the fixture's (camera counts, chunk sizes, step counts, layer patterns, expert depth,
/// attention modes, fixed prefix length): the cached sampler and the joint training pass must agree on the
/// velocity at the same (x_t, t), and every tensor must have the configured shape.
/// </summary>
public sealed class SmolVlaGeometryTests
{
    public static TheoryData<int, int, int, int, int, string, int> Geometries => new()
    {
        // cameras, chunk, steps, vlmLayers, expertLayers, attention mode, self_attn_every_n_layers
        { 1, 7, 3, 4, 4, "cross_attn", 2 },
        { 3, 4, 2, 6, 3, "cross_attn", 3 },
        { 2, 6, 4, 4, 2, "cross_attn", 1 },
        { 2, 5, 2, 3, 3, "self_attn", 2 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void CachedSamplerAndTrainingPassAgreeForAnyGeometry(int cameras, int chunk, int steps, int vlmLayers, int expertLayers,
        string attentionMode, int selfAttentionEvery)
    {
        var arch = TinyArchitecture(cameras, chunk, steps, vlmLayers, expertLayers, attentionMode, selfAttentionEvery);
        manual_seed(5);
        using var policy = new SmolVlaPolicy(arch);
        using var noGrad = no_grad();
        var inputs = RandomInputs(arch, batch: 2);
        var actions = randn(2, chunk, arch.Policy.MaxActionDim);
        var noise = randn(2, chunk, arch.Policy.MaxActionDim);
        var time = tensor(new[] { 0.3f, 0.8f });

        using var forward = policy.Model.Forward(inputs, actions, noise, time);
        using var context = policy.Model.Prefill(inputs);
        using var cached = policy.Model.DenoiseStep(context, forward.NoisyActions, time);
        TensorAssert.Close(forward.Velocity, cached, 1e-5, "velocity, cached path vs joint path");
        Assert.Equal(new long[] { 2, chunk, arch.Policy.MaxActionDim }, forward.Losses.shape);
        Assert.Equal(vlmLayers, context.Cache.Count);

        var stepsSeen = 0;
        using var sampled = policy.Model.SampleActions(inputs, noise, _ => stepsSeen++);
        Assert.Equal(steps, stepsSeen);
        using var chunkOut = policy.PredictActionChunk(inputs, noise);
        Assert.Equal(new long[] { 2, chunk, arch.Policy.ActionDim }, chunkOut.shape);
        Assert.False(chunkOut.isnan().any().item<bool>());
    }

    [Fact]
    public void ExpertDepthWhoseAttentionPatternDoesNotLineUpIsRejected()
    {
        var arch = TinyArchitecture(2, 6, 4, 4, 2, "cross_attn", 2);
        var error = Assert.Throws<InvalidOperationException>(() => new SmolVlaPolicy(arch));
        Assert.Contains("num_expert_layers", error.Message);
    }

    [Fact]
    public void FixedPrefixLengthPadsThePrefixWithInvalidTokens()
    {
        var arch = TinyArchitecture(2, 5, 2, 4, 4, "cross_attn", 2);
        arch = arch with { Policy = arch.Policy with { PrefixLength = 40 } };
        manual_seed(6);
        using var policy = new SmolVlaPolicy(arch);
        using var noGrad = no_grad();
        var inputs = RandomInputs(arch, batch: 2);
        using var prefix = policy.Model.EmbedPrefix(inputs);
        Assert.Equal(40, prefix.Embeddings.shape[1]);
        var natural = 2 * arch.ImageTokensPerCamera + inputs.LanguageTokens.shape[1] + 1;
        Assert.False(prefix.PadMasks.narrow(1, natural, 40 - natural).any().item<bool>());

        var noise = randn(2, 5, arch.Policy.MaxActionDim);
        var time = tensor(new[] { 0.5f, 0.9f });
        using var forward = policy.Model.Forward(inputs, randn(2, 5, arch.Policy.MaxActionDim), noise, time);
        using var context = policy.Model.Prefill(inputs);
        using var cached = policy.Model.DenoiseStep(context, forward.NoisyActions, time);
        TensorAssert.Close(forward.Velocity, cached, 1e-5, "velocity with a padded prefix");
    }

    private static SmolVlaArchitecture TinyArchitecture(int cameras, int chunk, int steps, int vlmLayers, int expertLayers,
        string attentionMode, int selfAttentionEvery)
    {
        var features = Enumerable.Range(0, cameras)
            .Select(i => new KeyValuePair<string, PolicyFeature>($"observation.images.cam{i}", new PolicyFeature(FeatureKind.Visual, [3, 32, 32])))
            .Append(new("observation.state", new PolicyFeature(FeatureKind.State, [5])))
            .ToList();
        var policy = new SmolVlaConfig
        {
            InputFeatures = features,
            OutputFeatures = [new("action", new PolicyFeature(FeatureKind.Action, [4]))],
            ChunkSize = chunk,
            NActionSteps = chunk,
            NumSteps = steps,
            MaxStateDim = 12,
            MaxActionDim = 10,
            ResizeImagesWithPadding = (32, 32),
            NumVlmLayers = vlmLayers,
            NumExpertLayers = expertLayers,
            AttentionMode = attentionMode,
            SelfAttnEveryNLayers = selfAttentionEvery,
        };
        var vlm = new SmolVlmConfig
        {
            ScaleFactor = 2,
            Vision = new SmolVlmVisionConfig { HiddenSize = 16, IntermediateSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2, ImageSize = 32, PatchSize = 8 },
            Text = new SmolVlmTextConfig { VocabSize = 50, HiddenSize = 48, IntermediateSize = 64, NumHiddenLayers = vlmLayers + 1, NumAttentionHeads = 6, NumKeyValueHeads = 2, ExplicitHeadDim = 8 },
        };
        return new SmolVlaArchitecture(policy, vlm);
    }

    private static PolicyInputs RandomInputs(SmolVlaArchitecture arch, int batch)
    {
        var cameras = arch.Policy.ImageFeatureNames.Count();
        var (width, height) = arch.Policy.ResizeImagesWithPadding!.Value;
        var images = Enumerable.Range(0, cameras).Select(_ => rand(batch, 3, height, width) * 2 - 1).ToList();
        var masks = Enumerable.Range(0, cameras).Select(i => i == 0 ? ones(batch, dtype: ScalarType.Bool) : tensor(new[] { true, false })).ToList();
        var tokens = randint(3, arch.Vlm.Text.VocabSize, [batch, 6], dtype: ScalarType.Int64);
        var languageMask = tensor(new[] { true, true, true, true, false, false, true, true, true, true, true, true }).reshape(batch, 6);
        return new PolicyInputs(images, masks, tokens, languageMask, randn(batch, arch.Policy.MaxStateDim));
    }
}
