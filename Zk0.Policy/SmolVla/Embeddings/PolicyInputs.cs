using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Embeddings;

/// <summary>
/// What the policy network consumes, already preprocessed: images resized with padding and scaled to [-1, 1]
/// ([B, C, H, W], configured cameras in order, absent ones as −1 images with mask false), per-camera presence
/// masks [B] bool, language tokens [B, L] int64 with their attention mask [B, L] bool, state padded to
/// <c>max_state_dim</c> [B, S].
/// </summary>
public sealed record PolicyInputs(
    IReadOnlyList<Tensor> Images,
    IReadOnlyList<Tensor> ImageMasks,
    Tensor LanguageTokens,
    Tensor LanguageMask,
    Tensor State)
{
    public long BatchSize => State.shape[0];

    /// <summary>A camera the configuration expects but the batch lacks: an image of −1 and a false mask.</summary>
    public static (Tensor Image, Tensor Mask) AbsentCamera(Tensor likeImage) =>
        (full_like(likeImage, -1.0), zeros(likeImage.shape[0], dtype: ScalarType.Bool, device: likeImage.device));
}
