using Microsoft.Win32.SafeHandles;

namespace Zk0.Federation.Safetensors;

/// <summary>
/// A safetensors file read piece by piece with positioned reads into the caller's buffers; nothing is memory-mapped,
/// so an open reader holds its header and no more, however large the file (its pages stay in the OS page cache, not in
/// the process). For holding many files open and reading each a chunk at a time; <see cref="SafetensorsFile"/> maps a
/// file instead, which is faster when every byte of it is read once.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly SafetensorsHeader _header;

    public string Path { get; }
    public long Length { get; }
    public IReadOnlyList<SafetensorsTensorInfo> Tensors => _header.Tensors;
    public IReadOnlyDictionary<string, string> Metadata => _header.Metadata;

    private SafetensorsReader(string path, long length, SafeFileHandle handle, SafetensorsHeader header)
    {
        Path = path;
        Length = length;
        _handle = handle;
        _header = header;
    }

    public static SafetensorsReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Safetensors file '{fullPath}' does not exist.", fullPath);
        }

        var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        try
        {
            var length = RandomAccess.GetLength(handle);
            if (length < 8)
            {
                throw new SafetensorsFormatException($"{fullPath}: {length} bytes is too short for a safetensors file (it needs an 8-byte header length). The file is truncated or empty.");
            }
            Span<byte> prefix = stackalloc byte[8];
            ReadExactly(handle, prefix, 0, fullPath);
            var json = new byte[SafetensorsHeader.LengthFromPrefix(prefix, length, fullPath)];
            ReadExactly(handle, json, 8, fullPath);
            var dataStart = 8L + json.Length;
            return new SafetensorsReader(fullPath, length, handle, SafetensorsHeader.Parse(json, dataStart, length - dataStart, fullPath));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public bool TryGetInfo(string name, out SafetensorsTensorInfo info) => _header.TryGetInfo(name, out info);

    public SafetensorsTensorInfo GetInfo(string name) => _header.GetInfo(name, Path);

    /// <summary>Bytes [<paramref name="byteOffset"/>, <paramref name="byteOffset"/> + destination.Length) of one tensor's data.</summary>
    public void Read(SafetensorsTensorInfo info, long byteOffset, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (!_header.Describes(info))
        {
            throw new ArgumentException($"{Path}: tensor info '{info.Name}' does not come from this file.", nameof(info));
        }
        if (byteOffset < 0 || byteOffset + destination.Length > info.ByteLength)
        {
            throw new ArgumentOutOfRangeException(nameof(byteOffset), $"{Path}: bytes {byteOffset}..{byteOffset + destination.Length} are outside tensor '{info.Name}' ({info.ByteLength} bytes).");
        }
        ReadExactly(_handle, destination, info.DataOffset + byteOffset, Path);
    }

    public void Dispose() => _handle.Dispose();

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long position, string path)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, position);
            if (read == 0)
            {
                throw new SafetensorsFormatException($"{path}: the file ends at byte {position}, before the bytes its header describes. It was truncated while open.");
            }
            destination = destination[read..];
            position += read;
        }
    }
}
