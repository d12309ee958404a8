using System.IO.MemoryMappedFiles;

namespace Zk0.Federation.Safetensors;

/// <summary>
/// A safetensors file opened read-only through a memory map: tensor bytes are served straight from the
/// page cache, so loading a model copies them once (into the destination), never into a managed buffer first.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _base;
    private readonly SafetensorsHeader _header;
    private bool _disposed;

    public string Path { get; }
    public long Length { get; }
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    private SafetensorsFile(string path, long length, MemoryMappedFile? map, MemoryMappedViewAccessor? view, byte* basePointer, SafetensorsHeader header)
    {
        Path = path;
        Length = length;
        _map = map;
        _view = view;
        _base = basePointer;
        _header = header;
        Tensors = header.Tensors;
        Metadata = header.Metadata;
    }

    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Safetensors file '{fullPath}' does not exist.", fullPath);
        }

        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        var length = stream.Length;
        if (length < 8)
        {
            throw new SafetensorsFormatException($"{fullPath}: {length} bytes is too short for a safetensors file (it needs an 8-byte header length). The file is truncated or empty.");
        }

        var map = MemoryMappedFile.CreateFromFile(stream, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        MemoryMappedViewAccessor? view = null;
        var pointerAcquired = false;
        try
        {
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* basePointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePointer);
            pointerAcquired = true;
            basePointer += view.PointerOffset;

            var header = ReadHeader(basePointer, length, fullPath);
            return new SafetensorsFile(fullPath, length, map, view, basePointer, header);
        }
        catch
        {
            if (pointerAcquired)
            {
                view!.SafeMemoryMappedViewHandle.ReleasePointer();
            }
            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    private static SafetensorsHeader ReadHeader(byte* basePointer, long length, string path)
    {
        var headerLength = SafetensorsHeader.LengthFromPrefix(new ReadOnlySpan<byte>(basePointer, 8), length, path);
        var dataStart = 8L + headerLength;
        return SafetensorsHeader.Parse(new ReadOnlySpan<byte>(basePointer + 8, headerLength), dataStart, length - dataStart, path);
    }

    public bool TryGetInfo(string name, out SafetensorsTensorInfo info) => _header.TryGetInfo(name, out info);

    public SafetensorsTensorInfo GetInfo(string name) => _header.GetInfo(name, Path);

    /// <summary>The raw little-endian bytes of one tensor, valid until this file is disposed.</summary>
    public ReadOnlySpan<byte> GetBytes(string name)
    {
        var info = GetInfo(name);
        if (info.ByteLength > int.MaxValue)
        {
            throw new NotSupportedException($"{Path}: tensor '{name}' is {info.ByteLength} bytes, too large for one span; read it in parts with {nameof(GetPointer)}.");
        }
        return new ReadOnlySpan<byte>(GetPointer(info), (int)info.ByteLength);
    }

    /// <summary>Address of a tensor's first byte in the map, for copies larger than a span; valid until disposal.</summary>
    public byte* GetPointer(SafetensorsTensorInfo info)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_header.Describes(info))
        {
            throw new ArgumentException($"{Path}: tensor info '{info.Name}' does not come from this file.", nameof(info));
        }
        return _base + info.DataOffset;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _map?.Dispose();
    }
}
