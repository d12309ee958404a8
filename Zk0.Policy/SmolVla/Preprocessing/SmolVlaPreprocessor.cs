using TorchSharp;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Preprocessing;

/// <summary>
/// SmolVLA's in-policy preprocessing (LeRobot's <c>prepare_images</c>, <c>prepare_state</c>,
/// <c>prepare_action</c>) on a batch keyed by LeRobot feature names. Works on whatever device the batch is on.
/// </summary>
public sealed class SmolVlaPreprocessor(SmolVlaPreprocessingOptions options)
{
    public const string StateKey = "observation.state";
    public const string ActionKey = "action";
    public const string PaddingMaskSuffix = "_padding_mask";

    public SmolVlaPreprocessingOptions Options { get; } = options;

    public PreparedImages PrepareImages(IReadOnlyDictionary<string, Tensor> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var present = Options.CameraKeys.Where(batch.ContainsKey).ToArray();
        var missing = Options.CameraKeys.Count - present.Length;
        if (present.Length == 0)
        {
            throw new ArgumentException(
                $"None of the configured cameras ({string.Join(", ", Options.CameraKeys)}) is in the batch (keys: {string.Join(", ", batch.Keys)}); at least one is needed.");
        }

        var images = new List<Tensor>();
        var masks = new List<Tensor>();
        foreach (var key in present)
        {
            var raw = batch[key];
            using var frame = raw.ndim == 5 ? raw[.., -1] : raw.alias();
            using var resized = Options.ResizeWithPadding is var (width, height)
                ? ImageResizing.ResizeWithPad(frame, width, height, padValue: 0)
                : frame.alias();
            images.Add(ImageResizing.ToSigLipRange(resized));
            masks.Add(batch.TryGetValue(key + PaddingMaskSuffix, out var mask)
                ? AsBoolMask(mask, key, frame.shape[0])
                : torch.ones(frame.shape[0], ScalarType.Bool, frame.device));
        }

        // Configured cameras the batch lacks become blank (-1) images with a false mask, up to empty_cameras.
        for (var i = 0; i < Math.Min(missing, Options.EmptyCameras); i++)
        {
            images.Add(torch.full_like(images[^1], KeptScalars.DoubleMinusOne));
            masks.Add(torch.zeros_like(masks[^1]));
        }
        return new PreparedImages(images, masks);
    }

    /// <summary>A camera's presence mask as a new bool tensor [B], so disposing it never touches the batch.</summary>
    private static Tensor AsBoolMask(Tensor mask, string camera, long batchSize)
    {
        if (mask.ndim != 1 || mask.shape[0] != batchSize)
        {
            throw new ArgumentException(
                $"'{camera}{PaddingMaskSuffix}' must be shaped [{batchSize}] (one flag per sample); got [{string.Join(", ", mask.shape)}].");
        }
        return mask.dtype == ScalarType.Bool ? mask.alias() : mask.to(ScalarType.Bool);
    }

    /// <summary>The last observation step of the state, zero-padded to <c>max_state_dim</c>.</summary>
    public Tensor PrepareState(Tensor state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var last = state.ndim > 2 ? state[.., -1, ..] : state.alias();
        return VectorPadding.PadLastDimension(last, Options.MaxStateDim, StateKey);
    }

    /// <summary>The action chunk zero-padded to <c>max_action_dim</c>.</summary>
    public Tensor PrepareActions(Tensor actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        return VectorPadding.PadLastDimension(actions, Options.MaxActionDim, ActionKey);
    }
}
