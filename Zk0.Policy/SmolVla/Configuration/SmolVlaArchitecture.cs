namespace Zk0.Policy.SmolVla.Configuration;

/// <summary>Every size of the network, derived from the policy and VLM configurations the way LeRobot derives them.</summary>
public sealed record SmolVlaArchitecture(SmolVlaConfig Policy, SmolVlmConfig Vlm)
{
    public static SmolVlaArchitecture SmolVlaBase { get; } = new(new SmolVlaConfig(), new SmolVlmConfig());

    public int VlmLayers => Policy.NumVlmLayers > 0 ? Policy.NumVlmLayers : Vlm.Text.NumHiddenLayers;

    public int ExpertLayers => Policy.NumExpertLayers > 0 ? Policy.NumExpertLayers : VlmLayers;

    public int ExpertHiddenSize => (int)(Vlm.Text.HiddenSize * Policy.ExpertWidthMultiplier);

    public int ExpertIntermediateSize => IntermediateSizeFor(ExpertHiddenSize);

    public int HeadDim => Vlm.Text.HeadDim;

    public int KeyValueWidth => Vlm.Text.NumKeyValueHeads * HeadDim;

    public int ImageTokensPerCamera
    {
        get
        {
            var side = Vlm.Vision.PatchesPerSide / Vlm.ScaleFactor;
            return side * side;
        }
    }

    public bool IsCrossAttentionMode => Policy.AttentionMode.Contains("cross", StringComparison.Ordinal);

    /// <summary>True when expert layer <paramref name="layer"/> re-projects the VLM keys/values (input width KV·D).</summary>
    public bool ExpertLayerIsCrossAttention(int layer) =>
        IsCrossAttentionMode && !(Policy.SelfAttnEveryNLayers > 0 && layer % Policy.SelfAttnEveryNLayers == 0);

    /// <summary>True when VLM layer <paramref name="layer"/> is a cross-attention layer in the joint (training / denoise) pass.</summary>
    public bool VlmLayerIsCrossAttention(int layer) => ExpertLayerIsCrossAttention(layer);

    /// <summary>Which expert layer runs beside VLM layer <paramref name="vlmLayer"/>, or null when the expert is idle there.</summary>
    public int? ExpertLayerFor(int vlmLayer)
    {
        if (ExpertLayers == VlmLayers) return vlmLayer;
        var multiple = VlmLayers / ExpertLayers;
        return vlmLayer % multiple == 0 ? vlmLayer / multiple : null;
    }

    /// <summary>LeRobot's <c>get_intermediate_size</c>: 2h/3, times 4, rounded up to a multiple of 256.</summary>
    public static int IntermediateSizeFor(int hidden, int multiplier = 4, int multipleOf = 256)
    {
        var size = (int)(2 * hidden / 3.0);
        size *= multiplier;
        return multipleOf * ((size + multipleOf - 1) / multipleOf);
    }

    public void Validate()
    {
        if (Vlm.Text.NumAttentionHeads % Vlm.Text.NumKeyValueHeads != 0)
            throw new InvalidOperationException($"text_config.num_attention_heads ({Vlm.Text.NumAttentionHeads}) must be a multiple of num_key_value_heads ({Vlm.Text.NumKeyValueHeads}).");
        if (VlmLayers > Vlm.Text.NumHiddenLayers)
            throw new InvalidOperationException($"num_vlm_layers ({VlmLayers}) exceeds the text model's num_hidden_layers ({Vlm.Text.NumHiddenLayers}).");
        if (VlmLayers % ExpertLayers != 0)
            throw new InvalidOperationException($"num_vlm_layers ({VlmLayers}) must be a multiple of num_expert_layers ({ExpertLayers}).");
        for (var layer = 0; layer < VlmLayers; layer++)
        {
            if (ExpertLayerFor(layer) is int expert && VlmLayerIsCrossAttention(layer) != ExpertLayerIsCrossAttention(expert))
                throw new InvalidOperationException(
                    $"VLM layer {layer} is a {(VlmLayerIsCrossAttention(layer) ? "cross" : "self")}-attention layer but its paired expert layer {expert} is built for " +
                    $"{(ExpertLayerIsCrossAttention(expert) ? "cross" : "self")}-attention (LeRobot would fail on it too); choose num_expert_layers ({ExpertLayers}) and " +
                    $"self_attn_every_n_layers ({Policy.SelfAttnEveryNLayers}) so the patterns line up.");
        }
        if (ExpertHiddenSize % 2 != 0)
            throw new InvalidOperationException($"the expert hidden size ({ExpertHiddenSize}) must be even for the sinusoidal time embedding.");
        if (Vlm.Vision.PatchesPerSide % Vlm.ScaleFactor != 0)
            throw new InvalidOperationException($"patches per side ({Vlm.Vision.PatchesPerSide}) must be divisible by scale_factor ({Vlm.ScaleFactor}).");
    }
}
