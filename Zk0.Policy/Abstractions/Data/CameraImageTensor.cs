using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions.Data;

/// <summary>
/// The one conversion from recorded camera bytes to what a policy reads: 8-bit RGB, HWC, becomes float32 CHW with values
/// v / 255. Training batches and live (simulator or robot) observations both go through it, so they agree bit for bit.
/// </summary>
public static class CameraImageTensor
{
    /// <summary>
    /// <paramref name="hwc"/> shaped [..., H, W, 3] (e.g. [B, H, W, 3] or [B, T, H, W, 3]) as a float32 tensor [..., 3, H, W].
    /// The array may be reused as soon as this returns.
    /// </summary>
    public static Tensor FromHwc(byte[] hwc, IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(hwc);
        if (shape.Count < 3 || shape[^1] != 3)
            throw new ArgumentException($"Camera images must be shaped [..., H, W, 3]; got [{string.Join(", ", shape)}].", nameof(shape));
        long[] hwcShape = [.. shape.Select(d => (long)d)];
        var count = hwcShape.Aggregate(1L, (a, b) => a * b);
        if (hwc.Length != count)
            throw new ArgumentException($"Camera images shaped [{string.Join(", ", shape)}] need {count} bytes; got {hwc.Length}.", nameof(hwc));
        var rank = shape.Count;
        long[] chwOrder = [.. Enumerable.Range(0, rank - 3).Select(d => (long)d), rank - 1, rank - 3, rank - 2];
        // frombuffer reads the array in place (pinned while the tensor lives) instead of copying it; every view of it is
        // disposed here, and the float tensor returned is a new allocation. Reordering the bytes before widening them moves
        // a quarter of the memory a float transpose would; the division is in place and a true division, as v / 255f.
        using var bytes = frombuffer(hwc, ScalarType.Byte, count);
        using var hwcView = bytes.view(hwcShape);
        using var chwView = hwcView.permute(chwOrder);
        using var chwBytes = chwView.contiguous();
        var images = chwBytes.to(ScalarType.Float32);
        images.div_(255f);
        return images;
    }
}
