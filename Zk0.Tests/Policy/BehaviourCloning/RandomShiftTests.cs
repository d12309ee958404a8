using Zk0.Policy.BehaviourCloning;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.BehaviourCloning;

public sealed class RandomShiftTests
{
    [Fact]
    public void NoPixelsLeaveTheImagesAlone()
    {
        using var images = rand(2, 3, 8, 8);
        using var generator = new Generator(1);

        Assert.Same(images, RandomShift.Apply(images, 0, generator));
    }

    [Fact]
    public void EachImageMovesByAtMostTheGivenPixelsAndKeepsItsContent()
    {
        using var _ = NewDisposeScope();
        // A bright column at x = 10 in every image of a 16-wide batch.
        var images = zeros(4, 1, 8, 16);
        images[.., .., .., 10] = tensor(1f);
        using var generator = new Generator(7);

        var shifted = RandomShift.Apply(images, 2, generator);

        Assert.Equal(images.shape, shifted.shape);
        for (var i = 0; i < 4; i++)
        {
            // The column's centre of mass along x, per image.
            var row = shifted[i, 0, 4];
            var centre = (row * arange(16, dtype: ScalarType.Float32)).sum().item<float>() / row.sum().item<float>();
            Assert.InRange(centre, 8f - 1e-3f, 12f + 1e-3f);
            Assert.Equal(1f, row.sum().item<float>(), 3);
        }
        Assert.False(shifted[0].allclose(shifted[1]) && shifted[1].allclose(shifted[2]), "every image got the same shift");
    }
}
