using System.Buffers.Binary;
using System.Text;
using Zk0.Federation.Safetensors;

namespace Zk0.Tests.Federation.Safetensors;

/// <summary>Builds safetensors files for tests, either through the writer or byte by byte.</summary>
internal sealed class SafetensorsTestFiles : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-safetensors-").FullName;

    public string PathFor(string name) => Path.Combine(_directory, name);

    public string Write(string name, IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var path = PathFor(name);
        using var stream = File.Create(path);
        SafetensorsWriter.Write(stream, entries, metadata);
        return path;
    }

    /// <summary>A file with a hand-written header and <paramref name="dataLength"/> data bytes.</summary>
    public string WriteRaw(string name, string headerJson, int dataLength)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        var path = PathFor(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static SafetensorsEntry Entry(string name, SafetensorsDType dtype, long[] shape, byte[] data) =>
        new(name, dtype, shape, data.Length, stream => stream.Write(data));

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
