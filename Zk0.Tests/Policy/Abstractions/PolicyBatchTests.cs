using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions;

public sealed class PolicyBatchTests
{
    private const string Camera = "observation.images.front";

    [Fact]
    public void A_batch_of_loader_bytes_has_float_chw_images_of_exactly_v_over_255_after_To()
    {
        var pooled = Enumerable.Range(0, 2 * 3 * 4 * 3).Select(i => (byte)(i * 7)).ToArray();
        var recorded = pooled.ToArray();
        using var batch = Batch(pooled, [2, 3, 4, 3]);
        Array.Fill(pooled, (byte)1);

        using var onDevice = batch.To(CPU);

        var images = onDevice.Images[Camera];
        Assert.Equal(ScalarType.Float32, images.dtype);
        Assert.Equal(new long[] { 2, 3, 3, 4 }, images.shape);
        var values = images.data<float>().ToArray();
        for (var b = 0; b < 2; b++)
            for (var c = 0; c < 3; c++)
                for (var y = 0; y < 3; y++)
                    for (var x = 0; x < 4; x++)
                        Assert.Equal(recorded[((b * 3 + y) * 4 + x) * 3 + c] / 255f, values[((b * 3 + c) * 3 + y) * 4 + x]);
        Assert.Equal(batch.State.data<float>().ToArray(), onDevice.State.data<float>().ToArray());
        Assert.Equal(batch.Tasks, onDevice.Tasks);
    }

    [Fact]
    public void Only_the_moved_batch_has_images_and_only_the_loaded_one_has_frames()
    {
        using var batch = Batch(new byte[2 * 2 * 2 * 3], [2, 2, 2, 3]);
        using var onDevice = batch.To(CPU);

        Assert.Throws<InvalidOperationException>(() => batch.Images);
        Assert.Throws<InvalidOperationException>(() => onDevice.CameraFrames);
    }

    [Fact]
    public void Disposing_the_moved_batch_leaves_the_loaded_one_whole_and_each_frees_its_own_tensors()
    {
        var batch = Batch(Enumerable.Range(0, 12).Select(i => (byte)i).ToArray(), [1, 2, 2, 3]);
        var onDevice = batch.To(CPU);
        var images = onDevice.Images[Camera];

        onDevice.Dispose();

        Assert.True(images.IsInvalid);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (byte)i), batch.CameraFrames[Camera].data<byte>().ToArray());
        Assert.Equal(new[] { 0.5f, 1f }, batch.State.data<float>().ToArray());
        var frames = batch.CameraFrames[Camera];
        batch.Dispose();
        Assert.True(frames.IsInvalid);
        Assert.True(batch.State.IsInvalid);
    }

    [Fact]
    public void An_observation_converts_its_frames_the_same_way()
    {
        var pooled = Enumerable.Range(0, 2 * 2 * 3).Select(i => (byte)(i * 21)).ToArray();
        using var batch = Batch(pooled, [1, 2, 2, 3]);
        using var observation = new PolicyObservation
        {
            State = tensor(new[] { 0.5f, 1f }, [1, 2]), CameraFrames = new Dictionary<string, Tensor> { [Camera] = CameraImageTensor.Frames(pooled, [1, 2, 2, 3]) }, Tasks = ["t"],
        };

        using var trained = batch.To(CPU);
        using var acted = observation.To(CPU);

        Assert.Throws<InvalidOperationException>(() => observation.Images);
        Assert.Equal(trained.Images[Camera].data<float>().ToArray(), acted.Images[Camera].data<float>().ToArray());
    }

    private static PolicyBatch Batch(byte[] pooled, int[] shape) => new()
    {
        State = tensor(Enumerable.Range(0, shape[0]).SelectMany(_ => new[] { 0.5f, 1f }).ToArray(), [shape[0], 2]),
        CameraFrames = new Dictionary<string, Tensor> { [Camera] = CameraImageTensor.Frames(pooled, shape) },
        Actions = zeros(shape[0], 1, 2),
        ActionIsPad = zeros([shape[0], 1], ScalarType.Bool),
        Tasks = [.. Enumerable.Repeat("pick", shape[0])],
    };
}
