namespace Zk0.Policy.SmolVla.Configuration;

public enum FeatureKind { Visual, State, Action, Environment }

public sealed record PolicyFeature(FeatureKind Kind, int[] Shape);

/// <summary>LeRobot's <c>SmolVLAConfig</c>; defaults are those of <c>lerobot/smolvla_base</c>'s code defaults.</summary>
public sealed record SmolVlaConfig
{
    public int NObsSteps { get; init; } = 1;
    public IReadOnlyList<KeyValuePair<string, PolicyFeature>> InputFeatures { get; init; } =
    [
        new("observation.images.camera1", new PolicyFeature(FeatureKind.Visual, [3, 480, 640])),
        new("observation.state", new PolicyFeature(FeatureKind.State, [6])),
    ];
    public IReadOnlyList<KeyValuePair<string, PolicyFeature>> OutputFeatures { get; init; } =
    [
        new("action", new PolicyFeature(FeatureKind.Action, [6])),
    ];
    public int ChunkSize { get; init; } = 50;
    public int NActionSteps { get; init; } = 50;
    public int MaxStateDim { get; init; } = 32;
    public int MaxActionDim { get; init; } = 32;
    /// <summary>(width, height) for resize-with-pad; null keeps the camera resolution (LeRobot's None).</summary>
    public (int Width, int Height)? ResizeImagesWithPadding { get; init; } = (512, 512);
    public int EmptyCameras { get; init; }
    public int TokenizerMaxLength { get; init; } = 48;
    public int NumSteps { get; init; } = 10;
    public bool UseCache { get; init; } = true;
    public bool FreezeVisionEncoder { get; init; } = true;
    public bool TrainExpertOnly { get; init; } = true;
    public bool TrainStateProj { get; init; } = true;
    public double OptimizerLr { get; init; } = 1e-4;
    public (double Beta1, double Beta2) OptimizerBetas { get; init; } = (0.9, 0.95);
    public double OptimizerEps { get; init; } = 1e-8;
    public double OptimizerWeightDecay { get; init; } = 1e-10;
    public double OptimizerGradClipNorm { get; init; } = 10;
    public int SchedulerWarmupSteps { get; init; } = 1000;
    public int SchedulerDecaySteps { get; init; } = 30000;
    public double SchedulerDecayLr { get; init; } = 2.5e-6;
    public string VlmModelName { get; init; } = "HuggingFaceTB/SmolVLM2-500M-Video-Instruct";
    public bool AddImageSpecialTokens { get; init; }
    public string AttentionMode { get; init; } = "cross_attn";
    public int PrefixLength { get; init; } = -1;
    public string PadLanguageTo { get; init; } = "longest";
    public int NumExpertLayers { get; init; } = -1;
    public int NumVlmLayers { get; init; } = 16;
    public int SelfAttnEveryNLayers { get; init; } = 2;
    public double ExpertWidthMultiplier { get; init; } = 0.75;
    public double MinPeriod { get; init; } = 4e-3;
    public double MaxPeriod { get; init; } = 4.0;

    public IEnumerable<string> ImageFeatureNames =>
        InputFeatures.Where(f => f.Value.Kind == FeatureKind.Visual).Select(f => f.Key);

    public int ActionDim =>
        OutputFeatures.FirstOrDefault(f => f.Value.Kind == FeatureKind.Action).Value?.Shape[^1]
        ?? throw new InvalidOperationException("SmolVLA config has no ACTION output feature; add \"action\" to output_features.");
}
