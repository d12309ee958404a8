using Zk0.Policy.BehaviourCloning;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.BehaviourCloning;

public sealed class ImageEncoderTests
{
    [Fact]
    public void EachKeypointIsAnImagePositionThatFollowsWhatItSees()
    {
        using var encoder = new ImageEncoder(inChannels: 3, channels: 4, keypointCount: 8);
        using var _ = NewDisposeScope();
        var left = zeros(1, 3, 32, 48);
        left[.., .., 12..20, 4..12] = tensor(1f);
        var right = zeros(1, 3, 32, 48);
        right[.., .., 12..20, 36..44] = tensor(1f);

        var (a, b) = (encoder.forward(left), encoder.forward(right));

        // 8 keypoints × (x, y), then the 8 feature maps' means.
        Assert.Equal([1L, 24], a.shape);
        var (whereA, whereB) = (a[.., ..16], b[.., ..16]);
        // Expected positions live in [-1, 1]; moving the square moves them.
        Assert.True(whereA.abs().max().item<float>() <= 1f);
        Assert.True((whereA - whereB).abs().max().item<float>() > 1e-4f, "the keypoints did not move with the square");
    }
}
