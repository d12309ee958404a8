using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Zk0.Policy.Abstractions.Data;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions.Data;

public sealed class RecycledHostTensorTests
{
    // Sizes no other test uses, so blocks returned by tests running alongside cannot answer these rents.
    private static readonly long[] FloatShape = [3, 7, 49_999];
    private static readonly long[] ByteShape = [1_234_567];

    [Fact]
    public void A_large_tensor_gets_the_block_the_previous_one_of_its_size_gave_back()
    {
        var first = RecycledHostTensor.Empty(FloatShape, ScalarType.Float32);
        var address = AddressOf(first);
        first.Dispose();

        using var second = RecycledHostTensor.Empty(FloatShape, ScalarType.Float32);

        Assert.Equal(address, AddressOf(second));
        Assert.Equal(FloatShape, second.shape);
        Assert.Equal(ScalarType.Float32, second.dtype);
        Assert.Equal(TorchSharp.DeviceType.CPU, second.device_type);
    }

    [Fact]
    public void A_block_stays_lent_while_a_view_of_its_storage_lives()
    {
        var tensor = RecycledHostTensor.Empty(ByteShape, ScalarType.Byte);
        var address = AddressOf(tensor);
        var view = tensor[TensorIndex.Slice(0, 1000)];
        tensor.Dispose();

        using (var whileViewed = RecycledHostTensor.Empty(ByteShape, ScalarType.Byte))
            Assert.NotEqual(address, AddressOf(whileViewed));

        view.Dispose();
        // The view's block came back last, so it is the first one out.
        using var afterView = RecycledHostTensor.Empty(ByteShape, ScalarType.Byte);
        Assert.Equal(address, AddressOf(afterView));
    }

    [Fact]
    public void Values_written_into_a_recycled_tensor_read_back_and_compute_like_any_tensor()
    {
        using var tensor = RecycledHostTensor.Empty([2, 600_000], ScalarType.Float32);
        tensor.fill_(0.25f);
        tensor[1].fill_(0.5f);

        using var sum = tensor.sum();
        Assert.Equal(600_000 * 0.75, sum.item<float>(), 1);
        using var doubled = tensor * 2;
        Assert.Equal(1f, doubled[1, 599_999].item<float>());
    }

    [Fact]
    public void Small_tensors_come_from_libtorch_and_unsupported_element_types_are_named()
    {
        using var small = RecycledHostTensor.Empty([4, 4], ScalarType.Float32);
        Assert.Equal(new long[] { 4, 4 }, small.shape);

        var error = Assert.Throws<ArgumentException>(() => RecycledHostTensor.Empty([1 << 20], ScalarType.ComplexFloat32));
        Assert.Contains("ComplexFloat32", error.Message);
    }

    private static nint AddressOf(Tensor tensor) =>
        Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref MemoryMarshal.GetReference(tensor.bytes));
}
