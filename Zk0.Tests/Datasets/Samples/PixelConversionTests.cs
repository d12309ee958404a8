using Zk0.Datasets.Samples;

namespace Zk0.Tests.Datasets.Samples;

public sealed class PixelConversionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(640 * 3 + 5)]
    public void Interleaved_rgb_becomes_planes_equal_to_dividing_each_byte_by_255(int plane)
    {
        var random = new Random(plane);
        var hwc = new byte[plane * 3];
        random.NextBytes(hwc);
        for (var v = 0; v < Math.Min(256, hwc.Length); v++) hwc[v] = (byte)v;
        var chw = new float[plane * 3];

        PixelConversion.HwcToChwUnit(hwc, chw, plane);

        for (var p = 0; p < plane; p++)
            for (var c = 0; c < 3; c++)
                Assert.Equal(hwc[p * 3 + c] / 255f, chw[c * plane + p]);
    }

    [Fact]
    public void Too_few_bytes_is_an_error_that_names_the_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => PixelConversion.HwcToChwUnit(new byte[5], new float[6], 2));
        Assert.Contains("Expected 6 bytes", error.Message);
    }
}
