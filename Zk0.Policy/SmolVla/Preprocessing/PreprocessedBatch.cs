using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Preprocessing;

/// <summary>
/// A batch ready for the SmolVLA network: [-1, 1] images with presence masks, language tokens [B, L] int64
/// and mask [B, L] bool, normalized state padded to [B, max_state_dim], and for training the normalized
/// actions padded to [B, T, max_action_dim] with <c>action_is_pad</c> [B, T] bool.
/// </summary>
public sealed record PreprocessedBatch(
    PreparedImages Images,
    Tensor LanguageTokens,
    Tensor LanguageMask,
    Tensor State,
    Tensor? Actions,
    Tensor? ActionIsPad) : IDisposable
{
    public void Dispose()
    {
        foreach (var tensor in Images.Images.Concat(Images.Masks))
        {
            tensor.Dispose();
        }
        LanguageTokens.Dispose();
        LanguageMask.Dispose();
        State.Dispose();
        Actions?.Dispose();
        ActionIsPad?.Dispose();
    }
}
