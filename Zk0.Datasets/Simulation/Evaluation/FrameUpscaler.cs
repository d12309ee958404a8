using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Simulation;

/// <summary>Enlarges the policy's small camera frames by a whole factor (nearest neighbour) so a video of them can be watched.</summary>
public static class FrameUpscaler
{
    /// <summary>The smallest whole factor that makes the frame at least <paramref name="minWidth"/> wide with even sides (yuv420p needs them).</summary>
    public static int Factor(int width, int height, int minWidth)
    {
        var factor = Math.Max(1, (minWidth + width - 1) / width);
        return (width * factor) % 2 == 0 && (height * factor) % 2 == 0 ? factor : factor + 1;
    }

    public static RgbFrame Upscale(RgbFrame frame, int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        if (factor == 1) return frame;
        var (width, height) = (frame.Width * factor, frame.Height * factor);
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            var sourceRow = y / factor * frame.Width;
            for (var x = 0; x < width; x++)
            {
                var src = (sourceRow + x / factor) * 3;
                var dst = (y * width + x) * 3;
                pixels[dst] = frame.Pixels[src];
                pixels[dst + 1] = frame.Pixels[src + 1];
                pixels[dst + 2] = frame.Pixels[src + 2];
            }
        }
        return new RgbFrame(width, height, pixels);
    }
}
