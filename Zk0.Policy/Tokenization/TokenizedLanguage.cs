using TorchSharp;
using static TorchSharp.torch;

namespace Zk0.Policy.Tokenization;

/// <summary>A batch of tokenized tasks: equal-length rows of ids and their attention mask (true = real token).</summary>
public sealed record TokenizedLanguage(long[][] TokenIds, bool[][] AttentionMask)
{
    public int BatchSize => TokenIds.Length;
    public int Length => TokenIds.Length == 0 ? 0 : TokenIds[0].Length;

    /// <summary><c>observation.language.tokens</c> (int64 [B, L]) and <c>observation.language.attention_mask</c> (bool [B, L]).</summary>
    public (Tensor Tokens, Tensor AttentionMask) ToTensors(Device? device = null)
    {
        var ids = TokenIds.SelectMany(row => row).ToArray();
        var mask = AttentionMask.SelectMany(row => row).ToArray();
        var tokens = torch.tensor(ids, [BatchSize, Length], ScalarType.Int64, device);
        var attention = torch.tensor(mask, [BatchSize, Length], ScalarType.Bool, device);
        return (tokens, attention);
    }
}
