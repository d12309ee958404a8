using TorchSharp;
using Zk0.Policy.SmolVla.Configuration;
using static TorchSharp.torch;
using Zk0.Policy.SmolVla.Text;

namespace Zk0.Policy.SmolVla.Expert;

/// <summary>
/// The action expert (<c>lm_expert</c>): a Llama stack with the VLM's head count and head dim but
/// width × <c>expert_width_multiplier</c>, no token embedding; cross-attention layers take KV·D inputs to k/v.
/// </summary>
public sealed class ActionExpert : NamedModule
{
    public ActionExpert(SmolVlaArchitecture arch, TensorPlacement at) : base(nameof(ActionExpert))
    {
        var t = arch.Vlm.Text;
        var hidden = arch.ExpertHiddenSize;
        Layers = Enumerable.Range(0, arch.ExpertLayers)
            .Select(i => new LlamaDecoderLayer(hidden, arch.ExpertIntermediateSize, t.NumAttentionHeads, t.NumKeyValueHeads,
                t.HeadDim, arch.ExpertLayerIsCrossAttention(i) ? arch.KeyValueWidth : hidden, t.RmsNormEps,
                t.AttentionBias, t.MlpBias, at, arch.ExpertLayerIsCrossAttention(i) ? at.ForPlainModules : null))
            .ToList();
        Child("layers", new TorchSharp.Modules.ModuleList<LlamaDecoderLayer>([.. Layers]));
        Norm = Child("norm", new RmsNorm(hidden, t.RmsNormEps, at));
    }

    public IReadOnlyList<LlamaDecoderLayer> Layers { get; }
    public RmsNorm Norm { get; }
}
