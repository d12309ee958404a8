using TorchSharp;
using Zk0.Policy.SmolVla.Preprocessing;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla.Preprocessing;

public class ImageResizingTests
{
    [Fact]
    public void AWideImageIsScaledToTheWidthAndPaddedOnTop()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.ones(1, 3, 48, 80);

        var resized = ImageResizing.ResizeWithPad(image, width: 64, height: 64);

        Assert.Equal(new long[] { 1, 3, 64, 64 }, resized.shape);
        Assert.Equal(0f, resized[.., .., ..26, ..].abs().max().item<float>());
        Assert.True(resized[.., .., 26.., ..].min().item<float>() > 0.9999f);
    }

    [Fact]
    public void ATallImageIsScaledToTheHeightAndPaddedOnTheLeftWithTruncatedWidth()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.ones(2, 3, 40, 32);

        var resized = ImageResizing.ResizeWithPad(image, width: 64, height: 64, padValue: -1);

        // 32 / 0.625 = 51.2 → 51 columns of picture, 13 of padding.
        Assert.Equal(-1f, resized[.., .., .., ..13].max().item<float>());
        Assert.True(resized[.., .., .., 13..].min().item<float>() > 0.9999f);
    }

    [Fact]
    public void AnImageAlreadyAtTheTargetSizeIsUnchanged()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.rand(1, 3, 16, 24);

        var resized = ImageResizing.ResizeWithPad(image, width: 24, height: 16);

        Assert.True(resized.equal(image).all().item<bool>());
    }

    [Fact]
    public void ScalingMapsZeroToMinusOneAndOneToOne()
    {
        using var scope = torch.NewDisposeScope();

        var scaled = ImageResizing.ToSigLipRange(torch.tensor(new[] { 0f, 0.5f, 1f }));

        Assert.Equal(new[] { -1f, 0f, 1f }, scaled.data<float>().ToArray());
    }

    [Fact]
    public void NonImageShapesAndIntegerPixelsAreRejected()
    {
        using var scope = torch.NewDisposeScope();

        Assert.Contains("[B, C, H, W]", Assert.Throws<ArgumentException>(() => ImageResizing.ResizeWithPad(torch.ones(3, 8, 8), 4, 4)).Message);
        Assert.Contains("Byte", Assert.Throws<ArgumentException>(() => ImageResizing.ResizeWithPad(torch.ones(1, 3, 8, 8, ScalarType.Byte), 4, 4)).Message);
    }
}
