namespace Zk0.Policy.Abstractions.Data;

/// <summary>
/// How datasets become policy samples, bound from the <c>PolicyData</c> configuration section. Nodes and the
/// Evaluator must agree on <c>ChunkSize</c>, <c>HeldOutFraction</c> and <c>SplitSeed</c>: the split decides
/// which episodes nodes train on and which only the Evaluator sees.
/// </summary>
public sealed class PolicyDataOptions
{
    public const string SectionName = "PolicyData";

    /// <summary>Action steps predicted per sample.</summary>
    public int ChunkSize { get; set; } = 10;

    /// <summary>Share of each dataset's episodes held out for server-side evaluation (never trained on).</summary>
    public double HeldOutFraction { get; set; } = 0.2;

    public int SplitSeed { get; set; }

    /// <summary>Where <c>synth:</c> datasets are generated; empty means the default cache (<c>$ZK0_SYNTH_CACHE</c> or ~/.cache/zk0/synthetic).</summary>
    public string? SyntheticCacheDirectory { get; set; }
}
