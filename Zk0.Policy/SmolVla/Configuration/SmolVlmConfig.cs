namespace Zk0.Policy.SmolVla.Configuration;

/// <summary>SigLIP-style vision tower geometry (transformers <c>smolvlm_vision</c>).</summary>
public sealed record SmolVlmVisionConfig
{
    public int HiddenSize { get; init; } = 768;
    public int IntermediateSize { get; init; } = 3072;
    public int NumHiddenLayers { get; init; } = 12;
    public int NumAttentionHeads { get; init; } = 12;
    public int NumChannels { get; init; } = 3;
    public int ImageSize { get; init; } = 512;
    public int PatchSize { get; init; } = 16;
    public double LayerNormEps { get; init; } = 1e-6;
    public string HiddenAct { get; init; } = "gelu_pytorch_tanh";

    public int PatchesPerSide => ImageSize / PatchSize;
    public int HeadDim => HiddenSize / NumAttentionHeads;
}

/// <summary>Llama text decoder geometry (transformers <c>llama</c>).</summary>
public sealed record SmolVlmTextConfig
{
    public int VocabSize { get; init; } = 49280;
    public int HiddenSize { get; init; } = 960;
    public int IntermediateSize { get; init; } = 2560;
    public int NumHiddenLayers { get; init; } = 32;
    public int NumAttentionHeads { get; init; } = 15;
    public int NumKeyValueHeads { get; init; } = 5;
    public int? ExplicitHeadDim { get; init; } = 64;
    public double RmsNormEps { get; init; } = 1e-5;
    public bool AttentionBias { get; init; }
    public bool MlpBias { get; init; }
    public int PadTokenId { get; init; } = 2;

    public int HeadDim => ExplicitHeadDim ?? HiddenSize / NumAttentionHeads;
}

/// <summary>The SmolVLM configuration; defaults are SmolVLM2-500M-Video-Instruct.</summary>
public sealed record SmolVlmConfig
{
    public SmolVlmVisionConfig Vision { get; init; } = new();
    public SmolVlmTextConfig Text { get; init; } = new();
    public int ScaleFactor { get; init; } = 4;
    public int ImageTokenId { get; init; } = 49190;
}
