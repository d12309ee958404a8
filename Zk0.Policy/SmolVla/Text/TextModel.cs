using TorchSharp;
using Zk0.Policy.SmolVla.Configuration;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Text;

/// <summary>The SmolVLM Llama text decoder, cut to its first <c>num_vlm_layers</c> layers as LeRobot does.</summary>
public sealed class TextModel : NamedModule
{
    private readonly nn.Module<Tensor, Tensor> _embedTokens;

    public TextModel(SmolVlaArchitecture arch, TensorPlacement at) : base(nameof(TextModel))
    {
        var t = arch.Vlm.Text;
        _embedTokens = Child("embed_tokens", nn.Embedding(t.VocabSize, t.HiddenSize, device: at.Device, dtype: at.DType));
        Layers = Enumerable.Range(0, arch.VlmLayers)
            .Select(_ => new LlamaDecoderLayer(t.HiddenSize, t.IntermediateSize, t.NumAttentionHeads, t.NumKeyValueHeads,
                t.HeadDim, t.HiddenSize, t.RmsNormEps, t.AttentionBias, t.MlpBias, at))
            .ToList();
        Child("layers", new TorchSharp.Modules.ModuleList<LlamaDecoderLayer>([.. Layers]));
        Norm = Child("norm", new RmsNorm(t.HiddenSize, t.RmsNormEps, at));
    }

    public IReadOnlyList<LlamaDecoderLayer> Layers { get; }
    public RmsNorm Norm { get; }

    public Tensor EmbedTokens(Tensor tokens) => _embedTokens.call(tokens);
}
