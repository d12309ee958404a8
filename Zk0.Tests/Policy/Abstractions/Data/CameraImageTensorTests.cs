using Zk0.Policy.Abstractions.Data;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions.Data;

public sealed class CameraImageTensorTests
{
    [Fact]
    public void Every_byte_value_becomes_exactly_v_over_255_in_channel_planes()
    {
        // 2 images of 8 x 16 pixels: every byte value appears in every channel across the batch.
        const int height = 8, width = 16;
        var hwc = new byte[2 * height * width * 3];
        for (var i = 0; i < hwc.Length; i++) hwc[i] = (byte)i;

        using var frames = CameraImageTensor.Frames(hwc, [2, height, width, 3]);
        using var images = CameraImageTensor.Images(frames, CPU);

        Assert.Equal(ScalarType.Float32, images.dtype);
        Assert.Equal(new long[] { 2, 3, height, width }, images.shape);
        var values = images.data<float>().ToArray();
        for (var b = 0; b < 2; b++)
            for (var c = 0; c < 3; c++)
                for (var y = 0; y < height; y++)
                    for (var x = 0; x < width; x++)
                        Assert.Equal(hwc[((b * height + y) * width + x) * 3 + c] / 255f, values[((b * 3 + c) * height + y) * width + x]);
    }

    [Fact]
    public void An_image_history_keeps_its_time_axis_before_the_channels()
    {
        var hwc = Enumerable.Range(0, 2 * 3 * 2 * 2 * 3).Select(i => (byte)i).ToArray();

        using var frames = CameraImageTensor.Frames(hwc, [2, 3, 2, 2, 3]);
        using var images = CameraImageTensor.Images(frames, CPU);

        Assert.Equal(new long[] { 2, 3, 3, 2, 2 }, images.shape);
        // Sample 1, step 2, channel 1, pixel (y 1, x 0) is byte (((1 * 3 + 2) * 2 + 1) * 2 + 0) * 3 + 1.
        Assert.Equal(((((1 * 3 + 2) * 2 + 1) * 2 + 0) * 3 + 1) / 255f, images[1, 2, 1, 1, 0].item<float>());
    }

    [Fact]
    public void The_frames_keep_their_bytes_when_the_pooled_array_is_reused_and_outlive_their_images()
    {
        var hwc = Enumerable.Range(0, 2 * 2 * 3).Select(i => (byte)(i * 20)).ToArray();
        var expected = hwc.ToArray();

        using var frames = CameraImageTensor.Frames(hwc, [1, 2, 2, 3]);
        Array.Fill(hwc, (byte)7);
        CameraImageTensor.Images(frames, CPU).Dispose();

        Assert.Equal(ScalarType.Byte, frames.dtype);
        Assert.Equal(expected, frames.data<byte>().ToArray());
    }

    [Theory]
    [InlineData(2, 5, 7)]     // 35 pixels: two blocks of sixteen and a tail of three
    [InlineData(3, 17, 19)]
    [InlineData(1, 1, 1)]
    [InlineData(1, 37, 41)]   // 1 517 pixels: a run of 1 024, a shorter run, a tail of thirteen
    [InlineData(2, 24, 48)]   // 1 152 pixels a plane, 32-byte aligned: streaming stores over a run and a shorter one
    [InlineData(2, 480, 640)] // a camera's size: recycled memory, streaming stores
    public void Odd_sizes_and_a_strided_view_convert_like_libtorchs_own_permute_and_divide(int count, int height, int width)
    {
        var hwc = new byte[count * height * width * 3];
        new Random(height * 31 + width).NextBytes(hwc);
        using var frames = CameraImageTensor.Frames(hwc, [count, height, width, 3]);
        using var everyOtherColumn = frames[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(0, null, 2)];

        foreach (var input in new[] { frames, everyOtherColumn })
        {
            using var images = CameraImageTensor.Images(input, CPU);
            using var chw = input.permute(0, 3, 1, 2);
            using var floats = chw.to(ScalarType.Float32);
            using var expected = floats.div(255f);
            Assert.Equal(expected.shape, images.shape);
            Assert.Equal(expected.data<float>().ToArray(), images.data<float>().ToArray());
        }
    }

    [Fact]
    public void Bytes_that_are_not_rgb_images_are_rejected_with_their_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => CameraImageTensor.Frames(new byte[16], [1, 4, 4]));
        var tooFew = Assert.Throws<ArgumentException>(() => CameraImageTensor.Frames(new byte[47], [1, 4, 4, 3]));
        using var floats = zeros(1, 4, 4, 3);
        var notBytes = Assert.Throws<ArgumentException>(() => CameraImageTensor.Images(floats, CPU));

        Assert.Contains("[1, 4, 4]", error.Message);
        Assert.Contains("48 bytes", tooFew.Message);
        Assert.Contains("uint8", notBytes.Message);
    }
}
