using Zk0.Federation.Safetensors;

namespace Zk0.Tests.Federation.Safetensors;

/// <summary>The unmapped reader sees what the mapped file sees, and refuses what it refuses.</summary>
public sealed class SafetensorsReaderTests : IDisposable
{
    private readonly SafetensorsTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string TwoTensors()
    {
        var first = new byte[40];
        var second = new byte[6];
        new Random(3).NextBytes(first);
        new Random(4).NextBytes(second);
        return _files.Write("two.safetensors",
            [SafetensorsTestFiles.Entry("layer.weight", SafetensorsDType.F32, [2, 5], first), SafetensorsTestFiles.Entry("layer.bias", SafetensorsDType.BF16, [3], second)],
            new Dictionary<string, string> { ["format"] = "pt" });
    }

    [Fact]
    public void ReadsTheSameHeaderAndBytesAsTheMappedFile()
    {
        var path = TwoTensors();
        using var mapped = SafetensorsFile.Open(path);
        using var reader = SafetensorsReader.Open(path);

        Assert.Equal(mapped.Tensors.Select(Describe), reader.Tensors.Select(Describe));
        Assert.Equal(mapped.Metadata, reader.Metadata);
        foreach (var info in reader.Tensors)
        {
            var whole = new byte[info.ByteLength];
            reader.Read(info, 0, whole);
            Assert.Equal(mapped.GetBytes(info.Name).ToArray(), whole);

            var middle = new byte[info.ByteLength - 3];
            reader.Read(reader.GetInfo(info.Name), 2, middle);
            Assert.Equal(mapped.GetBytes(info.Name)[2..^1].ToArray(), middle);
        }
    }

    private static string Describe(SafetensorsTensorInfo info) => $"{info.Name} {info.DType} [{string.Join(",", info.Shape)}] @{info.DataOffset}+{info.ByteLength}";

    [Fact]
    public void RefusesReadsOutsideATensorAndInfoFromAnotherFile()
    {
        using var reader = SafetensorsReader.Open(TwoTensors());
        var bias = reader.GetInfo("layer.bias");
        using var other = SafetensorsReader.Open(_files.Write("other.safetensors", [SafetensorsTestFiles.Entry("layer.bias", SafetensorsDType.BF16, [5], new byte[10])]));

        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Read(bias, 1, new byte[6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Read(bias, -1, new byte[2]));
        Assert.Throws<ArgumentException>(() => reader.Read(other.GetInfo("layer.bias"), 0, new byte[2]));
        var missing = Assert.Throws<KeyNotFoundException>(() => reader.GetInfo("layer.bais"));
        Assert.Contains("layer.bias", missing.Message);
    }

    [Fact]
    public void ATruncatedFileIsRejectedWhenOpenedAndWhenItShrinksWhileOpen()
    {
        var path = TwoTensors();
        var bytes = File.ReadAllBytes(path);
        using (var reader = SafetensorsReader.Open(path))
        {
            File.WriteAllBytes(path, bytes[..^4]);

            var shrunk = Assert.Throws<SafetensorsFormatException>(() => reader.Read(reader.GetInfo("layer.bias"), 0, new byte[6]));
            Assert.Contains("truncated", shrunk.Message);
        }

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsReader.Open(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
        File.WriteAllBytes(path, bytes[..5]);
        Assert.Throws<SafetensorsFormatException>(() => SafetensorsReader.Open(path));
    }
}
