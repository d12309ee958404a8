using Zk0.Federation.Safetensors;

namespace Zk0.Tests.Federation.Safetensors;

public class SafetensorsRoundTripTests : IDisposable
{
    private readonly SafetensorsTestFiles _files = new();

    public static TheoryData<SafetensorsDType> AllDTypes()
    {
        var data = new TheoryData<SafetensorsDType>();
        foreach (var dtype in Enum.GetValues<SafetensorsDType>())
        {
            data.Add(dtype);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllDTypes))]
    public void EveryDTypeReadsBackTheBytesAndShapeItWasWrittenWith(SafetensorsDType dtype)
    {
        long[] shape = [2, 3, 5];
        var data = new byte[30 * dtype.ElementSize()];
        new Random((int)dtype + 1).NextBytes(data);
        var path = _files.Write("one.safetensors", [SafetensorsTestFiles.Entry("weights", dtype, shape, data)]);

        using var file = SafetensorsFile.Open(path);

        var info = Assert.Single(file.Tensors);
        Assert.Equal("weights", info.Name);
        Assert.Equal(dtype, info.DType);
        Assert.Equal(shape, info.Shape);
        Assert.Equal(data.Length, info.ByteLength);
        Assert.Equal(data, file.GetBytes("weights").ToArray());
    }

    [Fact]
    public void SeveralTensorsKeepTheirOrderMetadataAndAlignedData()
    {
        var scalar = new byte[] { 1, 2, 3, 4 };
        var empty = Array.Empty<byte>();
        var mask = new byte[] { 1, 0, 1 };
        var ids = new byte[16];
        new Random(3).NextBytes(ids);
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["lerobot_commit"] = "abc" };

        var path = _files.Write("many.safetensors",
        [
            SafetensorsTestFiles.Entry("scalar", SafetensorsDType.F32, [], scalar),
            SafetensorsTestFiles.Entry("empty", SafetensorsDType.F32, [0, 4], empty),
            SafetensorsTestFiles.Entry("mask", SafetensorsDType.BOOL, [3], mask),
            SafetensorsTestFiles.Entry("ids", SafetensorsDType.I64, [2], ids),
        ], metadata);

        using var file = SafetensorsFile.Open(path);

        Assert.Equal(["scalar", "empty", "mask", "ids"], file.Tensors.Select(t => t.Name));
        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(0, file.Tensors[0].DataOffset % 8);
        Assert.Equal(scalar, file.GetBytes("scalar").ToArray());
        Assert.True(file.GetBytes("empty").IsEmpty);
        Assert.Equal(mask, file.GetBytes("mask").ToArray());
        Assert.Equal(ids, file.GetBytes("ids").ToArray());
    }

    [Fact]
    public void TryGetInfoReportsMissingNamesWithoutThrowing()
    {
        var path = _files.Write("x.safetensors", [SafetensorsTestFiles.Entry("a", SafetensorsDType.U8, [1], [7])]);
        using var file = SafetensorsFile.Open(path);

        Assert.True(file.TryGetInfo("a", out var info));
        Assert.Equal(SafetensorsDType.U8, info.DType);
        Assert.False(file.TryGetInfo("b", out _));
    }

    [Fact]
    public void LookingUpAMissingTensorNamesTheKeyAndTheFile()
    {
        var path = _files.Write("x.safetensors", [SafetensorsTestFiles.Entry("model.layer.weight", SafetensorsDType.U8, [1], [7])]);
        using var file = SafetensorsFile.Open(path);

        var error = Assert.Throws<KeyNotFoundException>(() => file.GetBytes("model.layer.bias"));

        Assert.Contains("model.layer.bias", error.Message);
        Assert.Contains(path, error.Message);
        Assert.Contains("model.layer.weight", error.Message);
    }

    [Fact]
    public void AWriterThatProducesFewerBytesThanDeclaredIsRejected()
    {
        var entry = new SafetensorsEntry("short", SafetensorsDType.F32, [2], 8, stream => stream.Write(new byte[4]));

        var error = Assert.Throws<InvalidOperationException>(() => SafetensorsWriter.Write(new MemoryStream(), [entry]));

        Assert.Contains("short", error.Message);
    }

    [Fact]
    public void AnEntryWhoseByteLengthDisagreesWithItsShapeIsRejectedBeforeWriting()
    {
        var output = new MemoryStream();
        var entry = new SafetensorsEntry("w", SafetensorsDType.BF16, [3], 4, stream => stream.Write(new byte[4]));

        var error = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(output, [entry]));

        Assert.Contains("'w'", error.Message);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void DuplicateEntryNamesAreRejected()
    {
        var a = SafetensorsTestFiles.Entry("a", SafetensorsDType.U8, [1], [1]);

        var error = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(new MemoryStream(), [a, a]));

        Assert.Contains("'a'", error.Message);
    }

    public void Dispose() => _files.Dispose();
}
