using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions.Data;

/// <summary>
/// Recorded camera bytes on their way to a policy: 8-bit RGB, HWC, as a uint8 tensor (<see cref="Frames"/>), and then, on the
/// policy's device, float32 CHW with values v / 255 (<see cref="Images"/>). Training batches and live (simulator or robot)
/// observations both go through it, so they agree bit for bit.
/// </summary>
public static class CameraImageTensor
{
    /// <summary>
    /// <paramref name="hwc"/> shaped [..., H, W, 3] (e.g. [B, H, W, 3] or [B, T, H, W, 3]) copied into a uint8 CPU tensor of
    /// that shape. The array may be reused as soon as this returns.
    /// </summary>
    public static Tensor Frames(byte[] hwc, IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(hwc);
        if (shape.Count < 3 || shape[^1] != 3)
            throw new ArgumentException($"Camera images must be shaped [..., H, W, 3]; got [{string.Join(", ", shape)}].", nameof(shape));
        long[] hwcShape = [.. shape.Select(d => (long)d)];
        var count = hwcShape.Aggregate(1L, (a, b) => a * b);
        if (hwc.Length != count)
            throw new ArgumentException($"Camera images shaped [{string.Join(", ", shape)}] need {count} bytes; got {hwc.Length}.", nameof(hwc));
        return tensor(hwc, hwcShape);
    }

    /// <summary>
    /// Uint8 <paramref name="frames"/> [..., H, W, 3] as float32 [..., 3, H, W] on <paramref name="device"/>. The bytes are
    /// moved first, so a GPU receives a quarter of the data and does the conversion itself; <paramref name="frames"/> stays
    /// the caller's.
    /// </summary>
    public static Tensor Images(Tensor frames, Device device)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.dtype != ScalarType.Byte || frames.ndim < 3 || frames.shape[^1] != 3)
            throw new ArgumentException($"Camera frames must be uint8 shaped [..., H, W, 3]; got {frames.dtype} [{string.Join(", ", frames.shape)}].", nameof(frames));
        var rank = frames.ndim;
        long[] chwOrder = [.. Enumerable.Range(0, (int)rank - 3).Select(d => (long)d), rank - 1, rank - 3, rank - 2];
        // Reordering the bytes before widening them moves a quarter of the memory a float transpose would; the division is
        // in place and a true division, as v / 255f. Every intermediate is disposed here, whatever scope the caller has open.
        using var moved = frames.to(device);
        using var chwView = moved.permute(chwOrder);
        using var chwBytes = chwView.contiguous();
        var images = chwBytes.to(ScalarType.Float32);
        images.div_(KeptScalars.FloatByteMax);
        return images;
    }
}
