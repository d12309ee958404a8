using SkiaSharp;

namespace Zk0.Datasets.Frames;

/// <summary>PNG / JPEG bytes to and from <see cref="RgbFrame"/> through SkiaSharp.</summary>
public static class ImageCodec
{
    public static byte[] EncodePng(RgbFrame frame)
    {
        using var bitmap = ToBitmap(frame);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static RgbFrame Decode(byte[] encoded, string what)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        using var decoded = (codec is null ? null : SKBitmap.Decode(codec))
            ?? throw new DatasetException($"{what}: the stored image bytes are not a PNG/JPEG that can be decoded ({encoded.Length} bytes).");
        using var rgba = decoded.ColorType == SKColorType.Rgba8888 && decoded.AlphaType != SKAlphaType.Premul
            ? decoded.Copy()
            : decoded.Copy(SKColorType.Rgba8888);
        var source = rgba.GetPixelSpan();
        var pixels = new byte[rgba.Width * rgba.Height * 3];
        for (int p = 0, q = 0; q < pixels.Length; p += 4, q += 3)
        {
            pixels[q] = source[p];
            pixels[q + 1] = source[p + 1];
            pixels[q + 2] = source[p + 2];
        }
        return new RgbFrame(rgba.Width, rgba.Height, pixels);
    }

    public static void SavePng(RgbFrame frame, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        File.WriteAllBytes(path, EncodePng(frame));
    }

    private static SKBitmap ToBitmap(RgbFrame frame)
    {
        var bitmap = new SKBitmap(new SKImageInfo(frame.Width, frame.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var target = bitmap.GetPixelSpan();
        var source = frame.Pixels;
        for (int p = 0, q = 0; p < source.Length; p += 3, q += 4)
        {
            target[q] = source[p];
            target[q + 1] = source[p + 1];
            target[q + 2] = source[p + 2];
            target[q + 3] = 255;
        }
        return bitmap;
    }
}
