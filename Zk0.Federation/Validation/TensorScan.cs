using System.Buffers;
using System.Numerics.Tensors;
using Zk0.Federation.Safetensors;
using Zk0.Federation.Strategies;

namespace Zk0.Federation.Validation;

/// <summary>
/// Reads floating-point tensors chunk by chunk (positioned reads, nothing mapped, one chunk in memory) and checks their
/// values: how many are NaN or infinite and, against a base tensor, the squared L2 distance, in the same pass.
/// </summary>
/// <remarks>Its buffers come from the shared pool: large arrays allocated per checked update would churn the large-object heap.</remarks>
internal sealed class TensorScan : IDisposable
{
    private readonly float[] _values = ArrayPool<float>.Shared.Rent(FloatTensors.ChunkLength);
    private readonly float[] _baseValues = ArrayPool<float>.Shared.Rent(FloatTensors.ChunkLength);
    private readonly byte[] _raw = ArrayPool<byte>.Shared.Rent(8 * FloatTensors.ChunkLength);

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(_values);
        ArrayPool<float>.Shared.Return(_baseValues);
        ArrayPool<byte>.Shared.Return(_raw);
    }

    /// <summary>
    /// Scans one tensor of <paramref name="file"/>; with <paramref name="baseFile"/>, also adds Σ(x − base)² to
    /// <paramref name="squaredDistance"/>. Returns the problem with the values, or null when every value is finite.
    /// </summary>
    public string? Scan(SafetensorsReader file, SafetensorsTensorInfo info, SafetensorsReader? baseFile, SafetensorsTensorInfo? baseInfo, ref double squaredDistance)
    {
        long nan = 0, infinite = 0;
        var count = info.ElementCount;
        for (long offset = 0; offset < count; offset += FloatTensors.ChunkLength)
        {
            var values = _values.AsSpan(0, (int)Math.Min(FloatTensors.ChunkLength, count - offset));
            FloatTensors.Read(file, info, offset, values, _raw);
            if (!TensorPrimitives.IsFiniteAll<float>(values))
            {
                foreach (var value in values)
                {
                    if (float.IsNaN(value)) nan++;
                    else if (float.IsInfinity(value)) infinite++;
                }
                continue;
            }
            if (baseFile is null || nan + infinite > 0) continue;
            var baseValues = _baseValues.AsSpan(0, values.Length);
            FloatTensors.Read(baseFile, baseInfo!, offset, baseValues, _raw);
            double distance = TensorPrimitives.Distance<float>(values, baseValues);
            squaredDistance += distance * distance;
        }
        if (nan + infinite == 0) return null;
        var problems = new List<string>();
        if (nan > 0) problems.Add($"{nan} NaN value{(nan == 1 ? "" : "s")}");
        if (infinite > 0) problems.Add($"{infinite} infinite value{(infinite == 1 ? "" : "s")}");
        return $"tensor '{info.Name}' has {string.Join(" and ", problems)}";
    }
}
