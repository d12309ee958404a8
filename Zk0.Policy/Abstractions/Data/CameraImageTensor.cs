using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Zk0.Datasets.Samples;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions.Data;

/// <summary>
/// Recorded camera bytes on their way to a policy: 8-bit RGB, HWC, as a uint8 tensor (<see cref="Frames"/>), and then, on the
/// policy's device, float32 CHW with values v / 255 (<see cref="Images"/>). Training batches and live (simulator or robot)
/// observations both go through it, so they agree bit for bit.
/// </summary>
public static class CameraImageTensor
{
    /// <summary>
    /// <paramref name="hwc"/> shaped [..., H, W, 3] (e.g. [B, H, W, 3] or [B, T, H, W, 3]) copied into a uint8 CPU tensor of
    /// that shape. The array may be reused as soon as this returns.
    /// </summary>
    public static Tensor Frames(byte[] hwc, IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(hwc);
        var hwcShape = HwcShape(hwc, shape);
        // Into an uninitialized tensor: tensor(byte[]) costs as much as allocating and filling a fresh managed array.
        var frames = RecycledHostTensor.Empty(hwcShape, ScalarType.Byte);
        frames.bytes = hwc;
        return frames;
    }

    /// <summary>
    /// A batch's camera image taken with <see cref="Batch.TakeImage"/>, as a uint8 CPU tensor over the same array (no copy);
    /// the array goes back when libtorch frees the tensor and every view of it.
    /// </summary>
    public static Tensor Frames((ImageBuffer Image, Action GiveBack) taken)
    {
        ArgumentNullException.ThrowIfNull(taken.Image);
        ArgumentNullException.ThrowIfNull(taken.GiveBack);
        HwcShape(taken.Image.Data, taken.Image.Shape);
        return PinnedArrayTensor.Over(taken.Image.Data, [.. taken.Image.Shape.Select(d => (long)d)], taken.GiveBack);
    }

    private static long[] HwcShape(byte[] hwc, IReadOnlyList<int> shape)
    {
        if (shape.Count < 3 || shape[^1] != 3)
            throw new ArgumentException($"Camera images must be shaped [..., H, W, 3]; got [{string.Join(", ", shape)}].", nameof(shape));
        long[] hwcShape = [.. shape.Select(d => (long)d)];
        var count = hwcShape.Aggregate(1L, (a, b) => a * b);
        if (hwc.Length != count)
            throw new ArgumentException($"Camera images shaped [{string.Join(", ", shape)}] need {count} bytes; got {hwc.Length}.", nameof(hwc));
        return hwcShape;
    }

    /// <summary>
    /// Uint8 <paramref name="frames"/> [..., H, W, 3] as float32 [..., 3, H, W] on <paramref name="device"/>. The bytes are
    /// moved first, so a GPU receives a quarter of the data and does the conversion itself; <paramref name="frames"/> stays
    /// the caller's.
    /// </summary>
    public static Tensor Images(Tensor frames, Device device)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.dtype != ScalarType.Byte || frames.ndim < 3 || frames.shape[^1] != 3)
            throw new ArgumentException($"Camera frames must be uint8 shaped [..., H, W, 3]; got {frames.dtype} [{string.Join(", ", frames.shape)}].", nameof(frames));
        var rank = frames.ndim;
        long[] chwOrder = [.. Enumerable.Range(0, (int)rank - 3).Select(d => (long)d), rank - 1, rank - 3, rank - 2];
        if (device.type == TorchSharp.DeviceType.CPU && frames.device.type == TorchSharp.DeviceType.CPU) return OnCpu(frames, [.. chwOrder.Select(d => frames.shape[d])]);
        // One pass reorders and widens (copy_ from the permuted bytes), one divides in place, a true division as v / 255f.
        // Every intermediate is disposed here, whatever scope the caller has open.
        using var moved = frames.to(device);
        using var chwView = moved.permute(chwOrder);
        var images = empty(chwView.shape, ScalarType.Float32, device);
        images.copy_(chwView);
        images.div_(KeptScalars.FloatByteMax);
        return images;
    }

    private static readonly float[] UnitOfByte = [.. Enumerable.Range(0, 256).Select(v => v / 255f)];

    // pshufb masks: for each 16-byte third of 16 RGB pixels, which byte lands in which lane of a channel (128: none).
    private static readonly Vector128<byte> Red0 = Lanes(0, 0), Red1 = Lanes(0, 1), Red2 = Lanes(0, 2);
    private static readonly Vector128<byte> Green0 = Lanes(1, 0), Green1 = Lanes(1, 1), Green2 = Lanes(1, 2);
    private static readonly Vector128<byte> Blue0 = Lanes(2, 0), Blue1 = Lanes(2, 1), Blue2 = Lanes(2, 2);

    /// <summary>
    /// On the CPU, one pass over the bytes writes the three channel planes of each image: libtorch's copy from the permuted
    /// bytes is a scalar strided loop that cost several times this (<c>zk0 dataset bench</c>). The same values as
    /// v / 255f, bit for bit (an IEEE division either way).
    /// </summary>
    private static unsafe Tensor OnCpu(Tensor frames, long[] chwShape)
    {
        using var hwc = frames.contiguous();
        var images = RecycledHostTensor.Empty(chwShape, ScalarType.Float32);
        var planeSize = (int)(frames.shape[^3] * frames.shape[^2]);
        var source = hwc.bytes;
        var target = MemoryMarshal.Cast<byte, float>(images.bytes);
        fixed (byte* rgb = source)
        fixed (float* planes = target)
        {
            for (long offset = 0; offset < source.Length; offset += 3 * planeSize)
            {
                // A batch's images take milliseconds to convert; between two, the loader's threads on this core get to
                // drain ffmpeg's pipe, which otherwise fills and stops the decoder (zk0 dataset bench, 2 cores).
                if (offset > 0) Thread.Yield();
                ToChannelPlanes(rgb + offset, planes + offset, planeSize);
            }
        }
        return images;
    }

    /// <summary>
    /// Sixteen pixels at a time with AVX2 where the CPU has it; the rest one pixel at a time. Compiled optimized from the
    /// first call: unoptimized (tier-0) vector code ran at a tenth of the speed for the whole of a short bench.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ToChannelPlanes(byte* rgb, float* red, int planeSize)
    {
        var green = red + planeSize;
        var blue = green + planeSize;
        var pixel = 0;
        if (Avx2.IsSupported)
        {
            // Streaming stores skip reading each target cache line before writing it, and leave the cache to the decoder:
            // the planes are megabytes that the policy reads later anyway. They go one plane at a time over a short run of
            // pixels whose bytes stay in L1: streaming into the three planes in turn ran at half the speed on AMD EPYC.
            var streaming = ((nint)red & 31) == 0 && planeSize % 8 == 0;
            while (pixel + 16 <= planeSize)
            {
                var end = pixel + Math.Min(PixelsPerRun, (planeSize - pixel) & ~15);
                ChannelRun(rgb, red, pixel, end, Red0, Red1, Red2, streaming);
                ChannelRun(rgb, green, pixel, end, Green0, Green1, Green2, streaming);
                ChannelRun(rgb, blue, pixel, end, Blue0, Blue1, Blue2, streaming);
                pixel = end;
            }
            if (streaming) Sse.StoreFence();
        }
        var unit = UnitOfByte;
        for (; pixel < planeSize; pixel++)
        {
            var at = rgb + 3 * pixel;
            red[pixel] = unit[at[0]];
            green[pixel] = unit[at[1]];
            blue[pixel] = unit[at[2]];
        }
    }

    private const int PixelsPerRun = 1024;

    /// <summary>Pixels [<paramref name="start"/>, <paramref name="end"/>) of one channel, a multiple of sixteen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void ChannelRun(byte* rgb, float* plane, int start, int end, Vector128<byte> fromFirst, Vector128<byte> fromSecond, Vector128<byte> fromThird, bool streaming)
    {
        for (var pixel = start; pixel < end; pixel += 16)
        {
            var at = rgb + 3 * pixel;
            var channel = Ssse3.Shuffle(Sse2.LoadVector128(at), fromFirst) | Ssse3.Shuffle(Sse2.LoadVector128(at + 16), fromSecond) | Ssse3.Shuffle(Sse2.LoadVector128(at + 32), fromThird);
            StoreUnits(channel, plane + pixel, streaming);
        }
    }

    /// <summary>Sixteen bytes of one channel as v / 255f.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreUnits(Vector128<byte> channel, float* plane, bool streaming)
    {
        var byteMax = Vector256.Create(255f);
        var low = Avx.Divide(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(channel)), byteMax);
        var high = Avx.Divide(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(channel, 8))), byteMax);
        if (streaming)
        {
            Avx.StoreAlignedNonTemporal(plane, low);
            Avx.StoreAlignedNonTemporal(plane + 8, high);
        }
        else
        {
            Avx.Store(plane, low);
            Avx.Store(plane + 8, high);
        }
    }

    private static Vector128<byte> Lanes(int channel, int load)
    {
        var mask = new byte[16];
        for (var lane = 0; lane < 16; lane++)
        {
            var index = 3 * lane + channel - 16 * load;
            mask[lane] = index is >= 0 and < 16 ? (byte)index : (byte)128;
        }
        return Vector128.Create(mask);
    }
}
