namespace Zk0.Datasets.Frames;

/// <summary>One camera image: 8-bit RGB, row-major, height × width × 3 (HWC).</summary>
public sealed record RgbFrame(int Width, int Height, byte[] Pixels)
{
    public int Width { get; } = Width > 0 ? Width : throw new ArgumentOutOfRangeException(nameof(Width), Width, "Frame width must be positive.");
    public int Height { get; } = Height > 0 ? Height : throw new ArgumentOutOfRangeException(nameof(Height), Height, "Frame height must be positive.");
    public byte[] Pixels { get; } = Pixels is not null && Pixels.Length == (long)Width * Height * 3
        ? Pixels
        : throw new ArgumentException($"An RGB frame of {Width}x{Height} needs {(long)Width * Height * 3} bytes (HWC), got {Pixels?.Length ?? 0}.", nameof(Pixels));

    public static RgbFrame Blank(int width, int height) => new(width, height, new byte[width * height * 3]);

    public (byte R, byte G, byte B) GetPixel(int x, int y)
    {
        var offset = (y * Width + x) * 3;
        return (Pixels[offset], Pixels[offset + 1], Pixels[offset + 2]);
    }
}
