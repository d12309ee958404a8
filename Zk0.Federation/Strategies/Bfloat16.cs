using System.Numerics;
using System.Runtime.InteropServices;

namespace Zk0.Federation.Strategies;

/// <summary>
/// bfloat16 (the high 16 bits of a float32) to and from float32, vectorised with <see cref="Vector{T}"/>. Widening is
/// exact; narrowing rounds to nearest, ties to even, and keeps a NaN a NaN by setting its quiet bit.
/// </summary>
public static class Bfloat16
{
    public static float ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    public static ushort FromSingle(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40);
        var roundingBias = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }

    public static void ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        CheckLengths(source.Length, destination.Length);
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<float, uint>(destination));
        var i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= source.Length - Vector<ushort>.Count; i += Vector<ushort>.Count)
            {
                Vector.Widen(Vector.LoadUnsafe(ref from, (nuint)i), out var low, out var high);
                Vector.ShiftLeft(low, 16).StoreUnsafe(ref to, (nuint)i);
                Vector.ShiftLeft(high, 16).StoreUnsafe(ref to, (nuint)(i + Vector<uint>.Count));
            }
        for (; i < source.Length; i++) destination[i] = ToSingle(source[i]);
    }

    public static void FromSingle(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        CheckLengths(source.Length, destination.Length);
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= source.Length - Vector<ushort>.Count; i += Vector<ushort>.Count)
            {
                var low = Round(Vector.LoadUnsafe(ref from, (nuint)i));
                var high = Round(Vector.LoadUnsafe(ref from, (nuint)(i + Vector<float>.Count)));
                Vector.Narrow(low, high).StoreUnsafe(ref to, (nuint)i);
            }
        for (; i < source.Length; i++) destination[i] = FromSingle(source[i]);
    }

    /// <summary>
    /// sum[i] += x[i]·weight for bfloat16 x, without a float32 copy of x. The product is rounded to float32 before the
    /// addition (no fused multiply-add), exactly as <see cref="System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(ReadOnlySpan{float}, float, ReadOnlySpan{float}, Span{float})"/>
    /// does on the widened values.
    /// </summary>
    public static void MultiplyAdd(ReadOnlySpan<ushort> x, float weight, Span<float> sum)
    {
        CheckLengths(x.Length, sum.Length);
        ref var from = ref MemoryMarshal.GetReference(x);
        ref var to = ref MemoryMarshal.GetReference(sum);
        var w = new Vector<float>(weight);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= x.Length - Vector<ushort>.Count; i += Vector<ushort>.Count)
            {
                Vector.Widen(Vector.LoadUnsafe(ref from, (nuint)i), out var low, out var high);
                var next = (nuint)(i + Vector<float>.Count);
                (Vector.AsVectorSingle(Vector.ShiftLeft(low, 16)) * w + Vector.LoadUnsafe(ref to, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
                (Vector.AsVectorSingle(Vector.ShiftLeft(high, 16)) * w + Vector.LoadUnsafe(ref to, next)).StoreUnsafe(ref to, next);
            }
        for (; i < x.Length; i++) sum[i] = ToSingle(x[i]) * weight + sum[i];
    }

    private static Vector<uint> Round(Vector<float> value)
    {
        var bits = Vector.AsVectorUInt32(value);
        var upper = Vector.ShiftRightLogical(bits, 16);
        var rounded = Vector.ShiftRightLogical(bits + new Vector<uint>(0x7FFF) + (upper & Vector<uint>.One), 16);
        var isNaN = Vector.OnesComplement(Vector.AsVectorUInt32(Vector.Equals(value, value)));
        return Vector.ConditionalSelect(isNaN, upper | new Vector<uint>(0x40), rounded);
    }

    private static void CheckLengths(int source, int destination)
    {
        if (source != destination)
            throw new ArgumentException($"Source has {source} elements, destination {destination}; they must match.");
    }
}
