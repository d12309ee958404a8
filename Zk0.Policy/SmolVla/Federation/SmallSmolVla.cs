using Zk0.Policy.Abstractions;
using Zk0.Policy.SmolVla.Configuration;

namespace Zk0.Policy.SmolVla.Federation;

/// <summary>
/// The small SmolVLA of the built-in synthetic default: SmolVLA's structure and LeRobot's training rules (frozen VLM,
/// expert and projections train), with a tiny SigLIP tower (8-pixel patches on <c>ImageSize</c>² images, 2 layers), a
/// Llama text model of <c>Layers</c> layers of width <c>Hidden</c>, the SmolVLM2 vocabulary, and the dataset's
/// cameras, state, action and chunk. A 2-core CPU trains it in minutes.
/// </summary>
public static class SmallSmolVla
{
    public static SmolVlaArchitecture Architecture(PolicyFeatures features, SmolVlaRunSettings settings)
    {
        var inputs = features.Cameras
            .Select(c => new KeyValuePair<string, PolicyFeature>(c.Key, new PolicyFeature(FeatureKind.Visual, [c.Channels, c.Height, c.Width])))
            .Append(new("observation.state", new PolicyFeature(FeatureKind.State, [features.StateDim])))
            .ToList();
        var policy = new SmolVlaConfig
        {
            InputFeatures = inputs,
            OutputFeatures = [new("action", new PolicyFeature(FeatureKind.Action, [features.ActionDim]))],
            ChunkSize = features.ChunkSize,
            NActionSteps = features.ChunkSize,
            MaxStateDim = Math.Max(8, features.StateDim),
            MaxActionDim = Math.Max(8, features.ActionDim),
            ResizeImagesWithPadding = (settings.ImageSize, settings.ImageSize),
            NumSteps = settings.DenoiseSteps,
            NumVlmLayers = settings.Layers,
            SelfAttnEveryNLayers = 2,
            ExpertWidthMultiplier = 0.75,
            SchedulerWarmupSteps = 0,
        };
        var vlm = new SmolVlmConfig
        {
            Vision = new SmolVlmVisionConfig
            {
                HiddenSize = settings.Hidden,
                IntermediateSize = settings.Hidden * 2,
                NumHiddenLayers = 2,
                NumAttentionHeads = 4,
                ImageSize = settings.ImageSize,
                PatchSize = 8,
            },
            Text = new SmolVlmTextConfig
            {
                HiddenSize = settings.Hidden,
                IntermediateSize = settings.Hidden * 2,
                NumHiddenLayers = settings.Layers,
                NumAttentionHeads = 4,
                NumKeyValueHeads = 2,
                ExplicitHeadDim = settings.Hidden / 4,
            },
            ScaleFactor = 2,
        };
        var architecture = new SmolVlaArchitecture(policy, vlm);
        architecture.Validate();
        return architecture;
    }
}
