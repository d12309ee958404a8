using System.Buffers.Binary;
using System.Text.Json;

namespace Zk0.Federation.Safetensors;

/// <summary>
/// Writes safetensors to a stream in one pass: the header is computed from the entries' declared sizes,
/// then each entry streams its bytes. Nothing but the header is buffered.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Header padding target, as in the reference writer, so tensor data starts 8-byte aligned.</summary>
    private const int HeaderAlignment = 8;

    public static void Write(Stream output, IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(entries);
        if (!output.CanWrite)
        {
            throw new ArgumentException("The output stream is not writable.", nameof(output));
        }

        var header = BuildHeader(entries, metadata);
        Span<byte> lengthPrefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthPrefix, (ulong)header.Length);
        output.Write(lengthPrefix);
        output.Write(header);

        foreach (var entry in entries)
        {
            var counting = new CountingWriteStream(output);
            entry.WriteData(counting);
            if (counting.BytesWritten != entry.ByteLength)
            {
                throw new InvalidOperationException(
                    $"Safetensors entry '{entry.Name}' declared {entry.ByteLength} bytes but its writer produced {counting.BytesWritten}; the output is incomplete and must be discarded.");
            }
        }
        output.Flush();
    }

    private static byte[] BuildHeader(IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value ?? throw new ArgumentException($"Metadata key '{key}' has a null value.", nameof(metadata)));
                }
                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var entry in entries)
            {
                Validate(entry, names);
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", entry.DType.HeaderName());
                json.WriteStartArray("shape");
                foreach (var dim in entry.Shape)
                {
                    json.WriteNumberValue(dim);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset = checked(offset + entry.ByteLength);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }

        var padded = (buffer.Length + HeaderAlignment - 1) / HeaderAlignment * HeaderAlignment;
        while (buffer.Length < padded)
        {
            buffer.WriteByte((byte)' ');
        }
        return buffer.ToArray();
    }

    private static void Validate(SafetensorsEntry entry, HashSet<string> names)
    {
        if (string.IsNullOrEmpty(entry.Name))
        {
            throw new ArgumentException("A safetensors entry has an empty name.");
        }
        if (entry.Name == SafetensorsHeader.MetadataKey)
        {
            throw new ArgumentException($"'{SafetensorsHeader.MetadataKey}' is reserved and cannot name a tensor.");
        }
        if (!names.Add(entry.Name))
        {
            throw new ArgumentException($"Safetensors entry '{entry.Name}' appears twice.");
        }
        if (!Enum.IsDefined(entry.DType))
        {
            throw new ArgumentException($"Safetensors entry '{entry.Name}' has an unknown dtype {entry.DType}.");
        }
        long expected;
        try
        {
            expected = SafetensorsDTypes.ByteLengthOf(entry.DType, entry.Shape);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw new ArgumentException($"Safetensors entry '{entry.Name}' has an invalid shape [{string.Join(", ", entry.Shape)}]: {e.Message}", e);
        }
        if (expected != entry.ByteLength)
        {
            throw new ArgumentException(
                $"Safetensors entry '{entry.Name}' ({entry.DType}, shape [{string.Join(", ", entry.Shape)}]) needs {expected} bytes but declares {entry.ByteLength}.");
        }
    }
}
