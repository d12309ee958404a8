using Zk0.Federation.Safetensors;

namespace Zk0.Tests.Federation.Safetensors;

public class SafetensorsValidationTests : IDisposable
{
    private readonly SafetensorsTestFiles _files = new();

    [Fact]
    public void ATruncatedFileIsRejectedNamingTheFileAndTheCutTensor()
    {
        var path = _files.Write("full.safetensors",
        [
            SafetensorsTestFiles.Entry("first", SafetensorsDType.F32, [4], new byte[16]),
            SafetensorsTestFiles.Entry("second", SafetensorsDType.F32, [4], new byte[16]),
        ]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("'second'", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void AFileCutInsideTheHeaderIsRejectedAsTruncated()
    {
        var path = _files.Write("full.safetensors", [SafetensorsTestFiles.Entry("w", SafetensorsDType.F32, [1], new byte[4])]);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..20]);

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void AFileShorterThanTheLengthPrefixIsRejected(int length)
    {
        var path = _files.PathFor("short.safetensors");
        File.WriteAllBytes(path, new byte[length]);

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void AnAbsurdHeaderLengthIsRejected()
    {
        var path = _files.PathFor("huge.safetensors");
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes, ulong.MaxValue / 2);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains("header length", error.Message);
    }

    [Fact]
    public void AHeaderThatIsNotJsonIsRejected()
    {
        var path = _files.WriteRaw("bad.safetensors", "{\"w\": {\"dtype\": \"F32\", ", 4);

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains("not valid JSON", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{\"w\": {\"dtype\": \"F8_E4M3\", \"shape\": [1], \"data_offsets\": [0, 1]}}", "F8_E4M3")]
    [InlineData("{\"w\": {\"dtype\": \"f32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "'f32'")]
    [InlineData("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", "no string 'dtype'")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", "no 'shape'")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", "non-negative integer")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", "non-negative integer")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", "exactly two data_offsets")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", "end before begin")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}", "needs 8 bytes")]
    [InlineData("{\"__metadata__\": {\"a\": 1}, \"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "metadata key 'a'")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", "twice")]
    public void MalformedHeadersAreRejectedWithAnExplanation(string header, string expectedFragment)
    {
        var path = _files.WriteRaw("bad.safetensors", header, 8);

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains(expectedFragment, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void OverlappingRangesAreRejectedNamingBothTensors()
    {
        var path = _files.WriteRaw("overlap.safetensors",
            "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12);

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains("overlaps", error.Message);
        Assert.Contains("'a'", error.Message);
        Assert.Contains("'b'", error.Message);
    }

    [Fact]
    public void AGapBetweenRangesIsRejected()
    {
        var path = _files.WriteRaw("gap.safetensors",
            "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]}}", 12);

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains("gap", error.Message);
        Assert.Contains("'b'", error.Message);
    }

    [Fact]
    public void RangesListedOutOfFileOrderAreAcceptedAndServedFromTheirOwnOffsets()
    {
        var path = _files.WriteRaw("reordered.safetensors",
            "{\"late\": {\"dtype\": \"U8\", \"shape\": [2], \"data_offsets\": [2, 4]}, \"early\": {\"dtype\": \"U8\", \"shape\": [2], \"data_offsets\": [0, 2]}}", 4);
        var bytes = File.ReadAllBytes(path);
        bytes[^4] = 1; bytes[^3] = 2; bytes[^2] = 3; bytes[^1] = 4;
        File.WriteAllBytes(path, bytes);

        using var file = SafetensorsFile.Open(path);

        Assert.Equal(new byte[] { 1, 2 }, file.GetBytes("early").ToArray());
        Assert.Equal(new byte[] { 3, 4 }, file.GetBytes("late").ToArray());
    }

    [Fact]
    public void TrailingBytesAfterTheLastTensorAreRejected()
    {
        var path = _files.WriteRaw("trailing.safetensors", "{\"a\": {\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": [0, 1]}}", 5);

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains("trailing", error.Message);
    }

    [Fact]
    public void AMissingFileIsReportedByPath()
    {
        var path = _files.PathFor("absent.safetensors");

        var error = Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Open(path));

        Assert.Contains(path, error.Message);
    }

    public void Dispose() => _files.Dispose();
}
