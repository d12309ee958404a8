using TorchSharp;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Preprocessing;

/// <summary>LeRobot's <c>resize_with_pad</c> and the SigLIP [-1, 1] scaling, for [B, C, H, W] float images.</summary>
public static class ImageResizing
{
    /// <summary>
    /// Scales the image to fit <paramref name="width"/>×<paramref name="height"/> keeping its aspect ratio
    /// (bilinear, align_corners false, no antialias; sizes truncated like Python's <c>int()</c>), then pads
    /// with <paramref name="padValue"/> on the left and top only, so the picture sits bottom-right.
    /// </summary>
    public static Tensor ResizeWithPad(Tensor images, int width, int height, double padValue = 0)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.ndim != 4)
        {
            throw new ArgumentException($"resize_with_pad expects images shaped [B, C, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
        }
        if (!images.is_floating_point())
        {
            throw new ArgumentException($"resize_with_pad expects float images in [0, 1]; got {images.dtype}. Convert pixels with x / 255 first.", nameof(images));
        }
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Target size {width}×{height} must be positive.");
        }

        var currentHeight = images.shape[2];
        var currentWidth = images.shape[3];
        var ratio = Math.Max((double)currentWidth / width, (double)currentHeight / height);
        var resizedHeight = (long)(currentHeight / ratio);
        var resizedWidth = (long)(currentWidth / ratio);

        using var resized = torch.nn.functional.interpolate(images, size: [resizedHeight, resizedWidth],
            mode: InterpolationMode.Bilinear, align_corners: false);
        var padHeight = Math.Max(0, height - resizedHeight);
        var padWidth = Math.Max(0, width - resizedWidth);
        return torch.nn.functional.pad(resized, [padWidth, 0, padHeight, 0], PaddingModes.Constant, padValue);
    }

    /// <summary>[0, 1] → [-1, 1] as SigLIP expects (<c>x * 2 - 1</c>).</summary>
    public static Tensor ToSigLipRange(Tensor images)
    {
        var scaled = images * KeptScalars.DoubleTwo;
        return scaled.sub_(KeptScalars.DoubleOne);
    }
}
