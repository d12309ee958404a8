using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Text;

/// <summary>
/// One Llama decoder layer (pre-RMSNorm attention + gated MLP). Used for the VLM text model and the action
/// expert; <paramref name="keyValueInput"/> is KV·D for the expert's cross-attention layers.
/// </summary>
public sealed class LlamaDecoderLayer : NamedModule
{
    private readonly RmsNorm _inputNorm;
    private readonly RmsNorm _postAttentionNorm;
    private readonly LlamaMlp _mlp;

    public LlamaDecoderLayer(int hidden, int intermediate, int heads, int kvHeads, int headDim, int keyValueInput,
        double eps, bool attentionBias, bool mlpBias, TensorPlacement at, TensorPlacement? keyValueAt = null) : base(nameof(LlamaDecoderLayer))
    {
        _inputNorm = Child("input_layernorm", new RmsNorm(hidden, eps, at));
        Attention = Child("self_attn", new LlamaAttentionProjections(hidden, heads, kvHeads, headDim, keyValueInput, attentionBias, at, keyValueAt));
        _postAttentionNorm = Child("post_attention_layernorm", new RmsNorm(hidden, eps, at));
        _mlp = Child("mlp", new LlamaMlp(hidden, intermediate, mlpBias, at));
    }

    public LlamaAttentionProjections Attention { get; }

    public Tensor InputNorm(Tensor hidden) => _inputNorm.Forward(hidden);

    /// <summary>Residual attention output then residual MLP: o(att) + h, then mlp(norm(·)) + ·.</summary>
    public Tensor FinishBlock(Tensor hidden, Tensor attention)
    {
        using var scope = NewDisposeScope();
        // In-place adds, as LeRobot does: the stream takes the projection's dtype (bf16 in a mixed-precision model).
        var afterAttention = Project(Attention.Output, attention).add_(hidden, KeptScalars.IntOne);
        var output = _mlp.Forward(_postAttentionNorm.Forward(afterAttention)).add_(afterAttention, KeptScalars.IntOne);
        return output.MoveToOuterDisposeScope();
    }
}
