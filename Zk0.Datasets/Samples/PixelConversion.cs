using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Zk0.Datasets.Samples;

/// <summary>
/// Interleaved RGB bytes (HWC) to planar floats in [0,1] (CHW), 16 pixels per step with 128-bit vectors. Values equal the
/// scalar <c>v / 255f</c> exactly (a true division, not a multiply by the reciprocal).
/// </summary>
public static class PixelConversion
{
    // For each channel c and each 16-byte source block k (bytes 16k..16k+15 of a 48-byte group), the byte indices that
    // hold channel c of pixels 0..15; indices outside the block are 0xFF, which Vector128.Shuffle turns into 0.
    private static readonly Vector128<byte>[] Masks = BuildMasks();

    private static Vector128<byte>[] BuildMasks()
    {
        var masks = new Vector128<byte>[9];
        Span<byte> lanes = stackalloc byte[16];
        for (var c = 0; c < 3; c++)
            for (var k = 0; k < 3; k++)
            {
                for (var p = 0; p < 16; p++)
                {
                    var source = p * 3 + c - 16 * k;
                    lanes[p] = source is >= 0 and < 16 ? (byte)source : (byte)0xFF;
                }
                masks[c * 3 + k] = Vector128.Create((ReadOnlySpan<byte>)lanes);
            }
        return masks;
    }

    // Vector128.Shuffle is only a single instruction for constant indices; with indices from a table it falls back to a
    // loop, so the byte shuffle of each platform is called directly (both give 0 for an index of 0xFF).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Gather(Vector128<byte> source, Vector128<byte> indices)
    {
        if (Ssse3.IsSupported) return Ssse3.Shuffle(source, indices);
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.VectorTableLookup(source, indices);
        return Vector128.Shuffle(source, indices);
    }

    /// <summary>Writes the three planes of <paramref name="plane"/> pixels each into <paramref name="chw"/>.</summary>
    public static void HwcToChwUnit(ReadOnlySpan<byte> hwc, Span<float> chw, int plane)
    {
        if (hwc.Length < plane * 3) throw new ArgumentException($"Expected {plane * 3} bytes of RGB, got {hwc.Length}.", nameof(hwc));
        if (chw.Length < plane * 3) throw new ArgumentException($"Expected room for {plane * 3} floats, got {chw.Length}.", nameof(chw));
        var p = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var scale = Vector128.Create(255f);
            var masks = Masks;
            for (; p + 16 <= plane; p += 16)
            {
                var block = hwc.Slice(p * 3, 48);
                var a = Vector128.Create(block);
                var b = Vector128.Create(block[16..]);
                var d = Vector128.Create(block[32..]);
                for (var c = 0; c < 3; c++)
                {
                    var bytes = Gather(a, masks[c * 3]) | Gather(b, masks[c * 3 + 1]) | Gather(d, masks[c * 3 + 2]);
                    var (low, high) = Vector128.Widen(bytes);
                    var (w0, w1) = Vector128.Widen(low);
                    var (w2, w3) = Vector128.Widen(high);
                    var target = chw.Slice(c * plane + p, 16);
                    (Vector128.ConvertToSingle(w0.AsInt32()) / scale).CopyTo(target);
                    (Vector128.ConvertToSingle(w1.AsInt32()) / scale).CopyTo(target[4..]);
                    (Vector128.ConvertToSingle(w2.AsInt32()) / scale).CopyTo(target[8..]);
                    (Vector128.ConvertToSingle(w3.AsInt32()) / scale).CopyTo(target[12..]);
                }
            }
        }
        for (; p < plane; p++)
        {
            chw[p] = hwc[p * 3] / 255f;
            chw[plane + p] = hwc[p * 3 + 1] / 255f;
            chw[2 * plane + p] = hwc[p * 3 + 2] / 255f;
        }
    }
}
