using TorchSharp;
using Zk0.Policy.SmolVla.Embeddings;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla;

public sealed partial class VlaFlowMatching
{
    /// <summary>
    /// <c>embed_prefix</c>: per camera the image tokens × √hidden, then language tokens × √hidden, then one
    /// (unscaled) state token. Image and language tokens form one bidirectional block; the state starts a new one.
    /// </summary>
    public Prefix EmbedPrefix(PolicyInputs inputs)
    {
        if (Architecture.Policy.AddImageSpecialTokens)
            throw new NotSupportedException("add_image_special_tokens = true is not supported by this port; set it to false (the smolvla_base default).");
        if (inputs.Images.Count != inputs.ImageMasks.Count)
            throw new ArgumentException($"Got {inputs.Images.Count} images but {inputs.ImageMasks.Count} image masks.", nameof(inputs));

        using var scope = NewDisposeScope();
        var batch = inputs.BatchSize;
        var embeddings = new List<Tensor>();
        var padMasks = new List<Tensor>();
        var marks = new List<Tensor>();
        var device = inputs.State.device;
        for (var camera = 0; camera < inputs.Images.Count; camera++)
        {
            using var cameraScope = NewDisposeScope();
            var image = VlmWithExpert.Vlm.EmbedImage(inputs.Images[camera]);
            var width = image.shape[^1];
            image = image * tensor(Math.Sqrt(width), dtype: image.dtype, device: device);
            var tokens = image.shape[1];
            embeddings.Add(image.MoveToOuterDisposeScope());
            padMasks.Add(inputs.ImageMasks[camera].to(ScalarType.Bool).unsqueeze(1).expand(batch, tokens).MoveToOuterDisposeScope());
            marks.Add(zeros(batch, tokens, dtype: ScalarType.Bool, device: device).MoveToOuterDisposeScope());
        }

        var language = VlmWithExpert.Vlm.TextModel.EmbedTokens(inputs.LanguageTokens);
        using var languageScale = Math.Sqrt(language.shape[^1]).ToScalar();
        language = language * languageScale;
        embeddings.Add(language);
        padMasks.Add(inputs.LanguageMask.to(ScalarType.Bool));
        marks.Add(zeros(batch, language.shape[1], dtype: ScalarType.Bool, device: device));

        var state = Project(_stateProjection, inputs.State);
        if (state.dim() == 2) state = state.unsqueeze(1);
        embeddings.Add(state);
        padMasks.Add(ones(batch, state.shape[1], dtype: ScalarType.Bool, device: device));
        marks.Add(ones(batch, state.shape[1], dtype: ScalarType.Bool, device: device));

        var widest = embeddings.Select(e => e.dtype).Aggregate(promote_types);
        var embs = cat(embeddings.Select(e => e.to(widest)).ToList(), 1);
        var pad = cat(padMasks, 1);
        var mark = cat(marks, 1);
        var missing = Architecture.Policy.PrefixLength - embs.shape[1];
        if (missing > 0)
        {
            embs = nn.functional.pad(embs, [0, 0, 0, missing]);
            pad = cat([pad, zeros(batch, missing, dtype: ScalarType.Bool, device: device)], 1);
            mark = cat([mark, zeros(batch, missing, dtype: ScalarType.Bool, device: device)], 1);
        }
        return new Prefix(embs.MoveToOuterDisposeScope(), pad.MoveToOuterDisposeScope(), mark.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <c>embed_suffix</c>: action_in_proj(x_t) concatenated with the float64 sinusoidal embedding of t, then
    /// action_time_mlp_out(silu(action_time_mlp_in(·))). Every action token starts its own block.
    /// </summary>
    public Suffix EmbedSuffix(Tensor noisyActions, Tensor time)
    {
        using var scope = NewDisposeScope();
        var action = Project(_actionIn, noisyActions);
        var p = Architecture.Policy;
        var timeEmbedding = SinusoidalTimeEmbedding.Create(time, Architecture.ExpertHiddenSize, p.MinPeriod, p.MaxPeriod)
            .to(action.dtype).unsqueeze(1).expand_as(action);
        var hidden = Project(_actionTimeIn, cat([action, timeEmbedding], 2));
        hidden = Project(_actionTimeOut, nn.functional.silu(hidden));
        var (batch, length) = (hidden.shape[0], hidden.shape[1]);
        var pad = ones(batch, length, dtype: ScalarType.Bool, device: hidden.device);
        var marks = ones(batch, length, dtype: hidden.dtype, device: hidden.device);
        return new Suffix(hidden.MoveToOuterDisposeScope(), pad.MoveToOuterDisposeScope(), marks.MoveToOuterDisposeScope());
    }
}
