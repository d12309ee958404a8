using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Embeddings;

/// <summary>The prefix: embeddings [B, P, hidden], validity [B, P] bool and block marks [B, P] (1 starts a block).</summary>
public sealed record Prefix(Tensor Embeddings, Tensor PadMasks, Tensor Marks) : IDisposable
{
    public void Dispose()
    {
        Embeddings.Dispose();
        PadMasks.Dispose();
        Marks.Dispose();
    }
}

/// <summary>The suffix: one token per action step of the chunk, all valid, each its own block (causal).</summary>
public sealed record Suffix(Tensor Embeddings, Tensor PadMasks, Tensor Marks) : IDisposable
{
    public void Dispose()
    {
        Embeddings.Dispose();
        PadMasks.Dispose();
        Marks.Dispose();
    }
}
