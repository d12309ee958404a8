using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Zk0.Federation.Safetensors;

namespace Zk0.Federation.Strategies;

/// <summary>Little-endian F64/F32/F16/BF16 bytes to and from float32 (BF16 rounds to nearest even).</summary>
public static class FloatConversions
{
    public static void ToSingle(ReadOnlySpan<byte> source, SafetensorsDType dtype, Span<float> destination)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case SafetensorsDType.F16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case SafetensorsDType.BF16:
                Bfloat16.ToSingle(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            case SafetensorsDType.F64:
                var doubles = MemoryMarshal.Cast<byte, double>(source);
                for (var i = 0; i < destination.Length; i++) destination[i] = (float)doubles[i];
                break;
            default:
                throw new NotSupportedException($"{dtype} is not a floating-point dtype.");
        }
    }

    public static void FromSingle(ReadOnlySpan<float> source, SafetensorsDType dtype, Span<byte> destination)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32:
                MemoryMarshal.AsBytes(source).CopyTo(destination);
                break;
            case SafetensorsDType.F16:
                TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination));
                break;
            case SafetensorsDType.BF16:
                Bfloat16.FromSingle(source, MemoryMarshal.Cast<byte, ushort>(destination));
                break;
            case SafetensorsDType.F64:
                var doubles = MemoryMarshal.Cast<byte, double>(destination);
                for (var i = 0; i < source.Length; i++) doubles[i] = source[i];
                break;
            default:
                throw new NotSupportedException($"{dtype} is not a floating-point dtype.");
        }
    }
}
