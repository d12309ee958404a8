using System.Buffers;
using System.Runtime.InteropServices;
using Zk0.Federation.Safetensors;

namespace Zk0.Federation.Strategies;

/// <summary>Chunked float32 access to the floating-point tensors of safetensors files, shared by the aggregators.</summary>
public static class FloatTensors
{
    /// <summary>Elements per chunk: aggregators hold a few chunks per update, never whole tensors per update.</summary>
    public const int ChunkLength = 1 << 16;

    public static bool IsFloat(SafetensorsDType dtype) =>
        dtype is SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.F64;

    public static int ElementSize(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 => 8,
        SafetensorsDType.F32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 => 2,
        _ => throw new NotSupportedException($"{dtype} is not a floating-point dtype."),
    };

    public static long ElementCount(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Elements [offset, offset + destination.Length) of a tensor, as float32.</summary>
    public static void Read(SafetensorsFile file, SafetensorsTensorInfo info, long offset, Span<float> destination)
    {
        var size = ElementSize(info.DType);
        FloatConversions.ToSingle(file.GetBytes(info.Name).Slice((int)(offset * size), destination.Length * size), info.DType, destination);
    }

    /// <summary>
    /// Elements [offset, offset + destination.Length) of a tensor read from disk, as float32; float32 bytes are read
    /// straight into <paramref name="destination"/>, other dtypes through <paramref name="raw"/> (at least 8 bytes per element).
    /// </summary>
    public static void Read(SafetensorsReader file, SafetensorsTensorInfo info, long offset, Span<float> destination, Span<byte> raw)
    {
        var size = ElementSize(info.DType);
        if (info.DType == SafetensorsDType.F32)
        {
            file.Read(info, offset * size, MemoryMarshal.AsBytes(destination));
            return;
        }
        var bytes = raw[..(destination.Length * size)];
        file.Read(info, offset * size, bytes);
        FloatConversions.ToSingle(bytes, info.DType, destination);
    }

    /// <summary>The number of float32 elements over the floating-point tensors of a model file (its trainable size at most).</summary>
    public static long CountFloatParameters(string modelPath)
    {
        using var file = SafetensorsFile.Open(modelPath);
        return file.Tensors.Where(t => IsFloat(t.DType)).Sum(t => ElementCount(t.Shape));
    }

    /// <summary>
    /// Writes a tensor chunk by chunk: <paramref name="fill"/> gets (offset, destination) and fills it in float32. The chunk
    /// buffers are pooled, so writing a model of many tensors leaves no garbage per tensor (it would count in resident memory).
    /// </summary>
    public static void WriteChunked(Stream stream, SafetensorsDType dtype, long count, Action<long, Span<float>> fill)
    {
        var chunk = (int)Math.Min(ChunkLength, Math.Max(count, 1));
        var values = ArrayPool<float>.Shared.Rent(chunk);
        var bytes = ArrayPool<byte>.Shared.Rent(chunk * ElementSize(dtype));
        try
        {
            for (long offset = 0; offset < count; offset += chunk)
            {
                var n = (int)Math.Min(chunk, count - offset);
                fill(offset, values.AsSpan(0, n));
                var encoded = bytes.AsSpan(0, n * ElementSize(dtype));
                FloatConversions.FromSingle(values.AsSpan(0, n), dtype, encoded);
                stream.Write(encoded);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(values);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>The dtype a tensor of the global model is written in: floating-point ones in the run's wire dtype (when given), others as stored.</summary>
    public static SafetensorsDType OnWire(SafetensorsDType stored, SafetensorsDType? wire) => wire is { } w && IsFloat(stored) ? w : stored;

    /// <summary>A base-model tensor carried into the new model: copied as it is, or converted chunk by chunk when the wire dtype differs.</summary>
    public static SafetensorsEntry Carried(SafetensorsFile file, SafetensorsTensorInfo info, SafetensorsDType? wire)
    {
        var dtype = OnWire(info.DType, wire);
        if (dtype == info.DType)
            return new SafetensorsEntry(info.Name, info.DType, info.Shape, info.ByteLength, stream => stream.Write(file.GetBytes(info.Name)));
        var count = ElementCount(info.Shape);
        return new SafetensorsEntry(info.Name, dtype, info.Shape, count * ElementSize(dtype),
            stream => WriteChunked(stream, dtype, count, (offset, destination) => Read(file, info, offset, destination)));
    }

    /// <summary>A tensor computed in float32 chunk by chunk (<paramref name="fill"/> gets offset and destination), written in the wire dtype.</summary>
    public static SafetensorsEntry Computed(SafetensorsTensorInfo info, SafetensorsDType? wire, Action<long, Span<float>> fill)
    {
        var dtype = OnWire(info.DType, wire);
        var count = ElementCount(info.Shape);
        return new SafetensorsEntry(info.Name, dtype, info.Shape, count * ElementSize(dtype), stream => WriteChunked(stream, dtype, count, fill));
    }
}
