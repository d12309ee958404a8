using System.Buffers.Binary;
using System.Text.Json;

namespace Zk0.Federation.Safetensors;

/// <summary>The parsed and validated JSON header of a safetensors file.</summary>
internal sealed record SafetensorsHeader(IReadOnlyList<SafetensorsTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    internal const string MetadataKey = "__metadata__";

    /// <summary>Same ceiling as the reference implementation: a larger header is a corrupt length prefix, not a real file.</summary>
    internal const long MaxHeaderBytes = 100_000_000;

    private readonly Dictionary<string, SafetensorsTensorInfo> _byName = Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The JSON header's length from the file's 8-byte little-endian prefix, checked against the file's length.</summary>
    internal static int LengthFromPrefix(ReadOnlySpan<byte> prefix, long fileLength, string path)
    {
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
        {
            throw new SafetensorsFormatException($"{path}: the header length prefix says {headerLength} bytes, more than the {MaxHeaderBytes}-byte limit. The file is corrupt or not a safetensors file.");
        }
        if ((long)headerLength > fileLength - 8)
        {
            throw new SafetensorsFormatException($"{path}: the header length prefix says {headerLength} bytes but only {fileLength - 8} follow. The file is truncated.");
        }
        return (int)headerLength;
    }

    internal bool TryGetInfo(string name, out SafetensorsTensorInfo info) => _byName.TryGetValue(name, out info!);

    internal SafetensorsTensorInfo GetInfo(string name, string path)
    {
        if (!_byName.TryGetValue(name, out var info))
        {
            throw new KeyNotFoundException($"{path}: no tensor named '{name}' (the file holds {_byName.Count} tensors{NearbyNames(name)}).");
        }
        return info;
    }

    /// <summary>Whether <paramref name="info"/> describes a tensor of this header (the same name, place and size).</summary>
    internal bool Describes(SafetensorsTensorInfo info) =>
        _byName.TryGetValue(info.Name, out var own) && own.DataOffset == info.DataOffset && own.ByteLength == info.ByteLength;

    private string NearbyNames(string name)
    {
        var lastDot = name.LastIndexOf('.');
        var stem = lastDot > 0 ? name[..lastDot] : name;
        var similar = _byName.Keys.Where(k => k.StartsWith(stem, StringComparison.Ordinal)).Order(StringComparer.Ordinal).Take(5).ToArray();
        return similar.Length == 0 ? "" : $"; similar names: {string.Join(", ", similar)}";
    }

    /// <summary>
    /// Parses <paramref name="json"/> and checks every entry against a data section of
    /// <paramref name="dataLength"/> bytes that starts at <paramref name="dataStart"/> in the file.
    /// Ranges must tile the data section exactly: no gaps, no overlaps, nothing past the end.
    /// </summary>
    internal static SafetensorsHeader Parse(ReadOnlySpan<byte> json, long dataStart, long dataLength, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException($"{source}: the safetensors header is not valid JSON ({e.Message}). The file is corrupt or not a safetensors file.", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SafetensorsFormatException($"{source}: the safetensors header must be a JSON object, found {root.ValueKind}.");
            }

            var tensors = new List<(SafetensorsTensorInfo Info, long Begin, long End)>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new SafetensorsFormatException($"{source}: the header names '{property.Name}' twice.");
                }
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, source);
                    continue;
                }
                tensors.Add(ReadTensor(property.Name, property.Value, dataStart, source));
            }

            CheckTiling(tensors, dataLength, source);
            return new SafetensorsHeader(tensors.Select(t => t.Info).ToArray(), metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException($"{source}: '{MetadataKey}' must be an object of strings, found {value.ValueKind}.");
        }
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafetensorsFormatException($"{source}: metadata key '{entry.Name}' must have a string value, found {entry.Value.ValueKind}.");
            }
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static (SafetensorsTensorInfo Info, long Begin, long End) ReadTensor(string name, JsonElement value, long dataStart, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException($"{source}: tensor '{name}' must be described by an object with dtype, shape and data_offsets.");
        }

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new SafetensorsFormatException($"{source}: tensor '{name}' has no string 'dtype'.");
        }
        var dtypeName = dtypeElement.GetString()!;
        if (!SafetensorsDTypes.TryParse(dtypeName, out var dtype))
        {
            throw new SafetensorsFormatException($"{source}: tensor '{name}' has dtype '{dtypeName}', which is not supported (supported: {SafetensorsDTypes.SupportedNames}).");
        }

        var shape = ReadIntegers(value, "shape", name, source);
        var offsets = ReadIntegers(value, "data_offsets", name, source);
        if (offsets.Length != 2)
        {
            throw new SafetensorsFormatException($"{source}: tensor '{name}' must have exactly two data_offsets [begin, end], found {offsets.Length}.");
        }
        var (begin, end) = (offsets[0], offsets[1]);
        if (end < begin)
        {
            throw new SafetensorsFormatException($"{source}: tensor '{name}' has data_offsets [{begin}, {end}] with end before begin.");
        }

        long expected;
        try
        {
            expected = SafetensorsDTypes.ByteLengthOf(dtype, shape);
        }
        catch (OverflowException)
        {
            throw new SafetensorsFormatException($"{source}: tensor '{name}' has shape [{string.Join(", ", shape)}], whose size overflows.");
        }
        if (end - begin != expected)
        {
            throw new SafetensorsFormatException(
                $"{source}: tensor '{name}' ({dtypeName}, shape [{string.Join(", ", shape)}]) needs {expected} bytes but its data_offsets [{begin}, {end}] span {end - begin}.");
        }

        return (new SafetensorsTensorInfo(name, dtype, shape, dataStart + begin, expected), begin, end);
    }

    private static long[] ReadIntegers(JsonElement tensor, string field, string name, string source)
    {
        if (!tensor.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new SafetensorsFormatException($"{source}: tensor '{name}' has no '{field}' array.");
        }
        var values = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var number) || number < 0)
            {
                throw new SafetensorsFormatException($"{source}: tensor '{name}' has a '{field}' entry that is not a non-negative integer ({item.GetRawText()}).");
            }
            values[i++] = number;
        }
        return values;
    }

    private static void CheckTiling(List<(SafetensorsTensorInfo Info, long Begin, long End)> tensors, long dataLength, string source)
    {
        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long cursor = 0;
        string? previous = null;
        foreach (var (info, begin, end) in tensors)
        {
            if (begin < cursor)
            {
                throw new SafetensorsFormatException($"{source}: tensor '{info.Name}' (bytes {begin}..{end}) overlaps tensor '{previous}', which ends at {cursor}.");
            }
            if (begin > cursor)
            {
                throw new SafetensorsFormatException($"{source}: tensor '{info.Name}' starts at data byte {begin}, leaving a gap after {(previous is null ? "the header" : $"tensor '{previous}'")} (which ends at {cursor}).");
            }
            if (end > dataLength)
            {
                throw new SafetensorsFormatException($"{source}: tensor '{info.Name}' ends at data byte {end} but the file holds only {dataLength} data bytes. The file is truncated.");
            }
            cursor = end;
            previous = info.Name;
        }
        if (cursor != dataLength)
        {
            throw new SafetensorsFormatException($"{source}: the tensors cover {cursor} data bytes but the file holds {dataLength}; the file has trailing bytes or a wrong header.");
        }
    }
}
