using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions;

/// <summary>LeRobotPolicyDataset hands a batch's pooled float arrays back to the loader as soon as it has made tensors of them.</summary>
public sealed class TensorFromArrayTests
{
    [Fact]
    public void A_tensor_made_from_a_float_array_keeps_its_values_when_the_array_is_reused()
    {
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        using var made = tensor(data, [2L, 3L]);
        Array.Fill(data, -1f);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], made.data<float>().ToArray());
    }
}
