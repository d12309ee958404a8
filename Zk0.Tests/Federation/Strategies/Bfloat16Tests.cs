using System.Numerics.Tensors;
using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Strategies;

/// <summary>
/// The vectorised bfloat16 conversions against a plain reference written independently of them: every widening, the
/// special values and ties of narrowing, random bit patterns, and lengths whose tails miss the vector width.
/// </summary>
public sealed class Bfloat16Tests
{
    private static readonly int[] Lengths = [0, 1, 7, 15, 16, 17, 31, 33, 64, 1000, 1003];

    /// <summary>Round to nearest, ties to even, by comparing the dropped half with one half ulp; NaN gets its quiet bit.</summary>
    private static ushort Reference(uint bits)
    {
        var upper = (ushort)(bits >> 16);
        var dropped = bits & 0xFFFF;
        if ((bits & 0x7F800000) == 0x7F800000 && (bits & 0x007FFFFF) != 0) return (ushort)(upper | 0x40);
        return dropped > 0x8000 || (dropped == 0x8000 && (upper & 1) == 1) ? (ushort)(upper + 1) : upper;
    }

    [Fact]
    public void WideningIsExactForEveryBitPattern()
    {
        var all = Enumerable.Range(0, 65536).Select(i => (ushort)i).ToArray();
        var floats = new float[all.Length];

        Bfloat16.ToSingle(all, floats);

        for (var i = 0; i < all.Length; i++) Assert.Equal((uint)i << 16, BitConverter.SingleToUInt32Bits(floats[i]));
    }

    [Theory]
    [InlineData(0x3F808000u, 0x3F80)] // 1 + 2⁻⁸: halfway between 1 (even) and 1 + 2⁻⁷ → 1
    [InlineData(0x3F818000u, 0x3F82)] // halfway between 1 + 2⁻⁷ (odd) and 1 + 2⁻⁶ (even) → up
    [InlineData(0x3F808001u, 0x3F81)] // just above halfway → up
    [InlineData(0x3F807FFFu, 0x3F80)] // just below halfway → down
    [InlineData(0x7F7FFFFFu, 0x7F80)] // float.MaxValue overflows to +∞
    [InlineData(0xFF7FFFFFu, 0xFF80)] // and float.MinValue to −∞
    [InlineData(0x7F800000u, 0x7F80)] // +∞
    [InlineData(0xFF800000u, 0xFF80)] // −∞
    [InlineData(0x00000000u, 0x0000)] // +0
    [InlineData(0x80000000u, 0x8000)] // −0
    [InlineData(0x00000001u, 0x0000)] // smallest subnormal rounds to +0
    [InlineData(0x80000001u, 0x8000)] // and its negative to −0
    [InlineData(0x007FFFFFu, 0x0080)] // largest subnormal rounds up to the smallest normal
    [InlineData(0x00018000u, 0x0002)] // subnormal tie, odd → up
    [InlineData(0x00028000u, 0x0002)] // subnormal tie, even → stays
    [InlineData(0x7FC00000u, 0x7FC0)] // quiet NaN
    [InlineData(0x7F800001u, 0x7FC0)] // signalling NaN whose payload is all below bit 16: still a NaN
    [InlineData(0xFFA00000u, 0xFFE0)] // negative signalling NaN keeps sign and payload, gains the quiet bit
    public void NarrowingRoundsToNearestEvenAndKeepsNaNsNaN(uint bits, int expected)
    {
        var value = BitConverter.UInt32BitsToSingle(bits);
        // The same value at every position of a vector and of the scalar tail.
        foreach (var length in Lengths)
        {
            var source = Enumerable.Repeat(value, length).ToArray();
            var narrowed = new ushort[length];

            Bfloat16.FromSingle(source, narrowed);

            Assert.All(narrowed, n => Assert.Equal((ushort)expected, n));
        }
        Assert.Equal((ushort)expected, Bfloat16.FromSingle(value));
        Assert.Equal((ushort)expected, Reference(bits));
    }

    [Fact]
    public void NarrowingMatchesTheReferenceOnRandomBitPatterns()
    {
        var random = new Random(16);
        var bits = new uint[1 << 20];
        foreach (ref var b in bits.AsSpan()) b = (uint)random.NextInt64(0, 1L << 32);
        var values = bits.Select(BitConverter.UInt32BitsToSingle).ToArray();

        foreach (var length in Lengths.Append(bits.Length))
        {
            var narrowed = new ushort[length];
            Bfloat16.FromSingle(values.AsSpan(0, length), narrowed);
            for (var i = 0; i < length; i++)
                if (narrowed[i] != Reference(bits[i]))
                    Assert.Fail($"bits 0x{bits[i]:X8} (length {length}, index {i}): 0x{narrowed[i]:X4}, expected 0x{Reference(bits[i]):X4}");
        }
    }

    [Fact]
    public void MultiplyAddGivesTheSameBitsAsWideningThenTensorPrimitives()
    {
        var random = new Random(17);
        foreach (var length in Lengths)
        {
            var x = Enumerable.Range(0, length).Select(_ => (ushort)random.Next(0, 65536)).ToArray();
            var sum = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 200 - 100)).ToArray();
            var widened = new float[length];
            Bfloat16.ToSingle(x, widened);
            var expected = (float[])sum.Clone();
            TensorPrimitives.MultiplyAdd(widened, 3.7f, expected, expected);

            Bfloat16.MultiplyAdd(x, 3.7f, sum);

            Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), sum.Select(BitConverter.SingleToUInt32Bits));
        }
    }

    [Fact]
    public void SpansOfDifferentLengthsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Bfloat16.ToSingle(new ushort[3], new float[4]));
        Assert.Throws<ArgumentException>(() => Bfloat16.FromSingle(new float[4], new ushort[3]));
        Assert.Throws<ArgumentException>(() => Bfloat16.MultiplyAdd(new ushort[3], 1f, new float[4]));
    }
}
