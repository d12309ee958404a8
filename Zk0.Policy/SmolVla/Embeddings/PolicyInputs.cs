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

    public const string LanguageTokensKey = "observation.language.tokens";
    public const string LanguageMaskKey = "observation.language.attention_mask";

    /// <summary>
    /// Builds the inputs from a batch keyed by LeRobot feature names (raw images in [0, 1], state, language tokens and
    /// mask from the tokenizer step), applying LeRobot's in-policy preprocessing.
    /// </summary>
    public static PolicyInputs FromBatch(IReadOnlyDictionary<string, Tensor> batch, Preprocessing.SmolVlaPreprocessor preprocessor)
    {
        var images = preprocessor.PrepareImages(batch);
        return new PolicyInputs(images.Images, images.Masks, Required(batch, LanguageTokensKey),
            Required(batch, LanguageMaskKey).to(ScalarType.Bool), preprocessor.PrepareState(Required(batch, Preprocessing.SmolVlaPreprocessor.StateKey)));
    }

    private static Tensor Required(IReadOnlyDictionary<string, Tensor> batch, string key) =>
        batch.TryGetValue(key, out var t) ? t
            : throw new ArgumentException($"The batch has no '{key}' (keys: {string.Join(", ", batch.Keys)}); run the language tokenizer / dataset loader that provides it.", nameof(batch));
}
