using Zk0.Policy.Abstractions.Data;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions.Data;

public sealed class PinnedArrayTensorTests
{
    [Fact]
    public void The_tensor_reads_the_array_itself_not_a_copy()
    {
        var array = new byte[] { 1, 2, 3, 4, 5, 6 };
        using var tensor = PinnedArrayTensor.Over(array, [2, 3], () => { });

        array[4] = 200;

        Assert.Equal(new long[] { 2, 3 }, tensor.shape);
        Assert.Equal(ScalarType.Byte, tensor.dtype);
        Assert.Equal(200, tensor[1, 1].item<byte>());
    }

    [Fact]
    public void The_array_is_handed_back_once_when_the_tensor_and_its_last_view_are_gone()
    {
        var freed = 0;
        var tensor = PinnedArrayTensor.Over(new byte[12], [4, 3], () => freed++);
        var view = tensor[2];

        tensor.Dispose();
        Assert.Equal(0, freed);
        view.Dispose();
        Assert.Equal(1, freed);
    }

    [Fact]
    public void An_array_backs_one_live_storage_and_must_match_the_shape()
    {
        var array = new byte[12];
        using var tensor = PinnedArrayTensor.Over(array, [12], () => { });

        var twice = Assert.Throws<InvalidOperationException>(() => PinnedArrayTensor.Over(array, [12], () => { }));
        Assert.Contains("already backs a live tensor", twice.Message);
        var wrongShape = Assert.Throws<ArgumentException>(() => PinnedArrayTensor.Over(new byte[12], [5, 3], () => { }));
        Assert.Contains("[5, 3] needs 15 bytes; the array has 12", wrongShape.Message);
    }
}
