using Zk0.Datasets.Frames;
using Zk0.Datasets.Reading;

namespace Zk0.Datasets.Samples;

/// <summary>
/// Reads the frames of one camera that several batches need, each distinct row decoded once (in file order) straight
/// into the first slot that asks for it; other slots of the same row are copied from it.
/// </summary>
internal static class BatchFrameReader
{
    /// <param name="queryRows">per batch, the row of each image slot</param>
    /// <param name="pool">where the batch arrays are rented from (null: new arrays); on failure they go back</param>
    public static BatchFrames[] Read(LeRobotDataset dataset, string camera, IReadOnlyList<int[]> queryRows, BufferPool<byte>? pool)
    {
        var firstSlot = new SortedDictionary<int, (int Batch, int Slot)>();
        var copies = new List<(int Row, int Batch, int Slot)>();
        for (var b = 0; b < queryRows.Count; b++)
            for (var s = 0; s < queryRows[b].Length; s++)
                if (!firstSlot.TryAdd(queryRows[b][s], (b, s))) copies.Add((queryRows[b][s], b, s));
        var rows = firstSlot.Keys.ToArray();
        var firsts = firstSlot.Values.ToArray();
        var arrays = new byte[]?[queryRows.Count];
        var sizes = new (int Width, int Height)[queryRows.Count];
        try
        {
            dataset.ReadFrames(camera, rows, (i, width, height) => Slot(firsts[i].Batch, firsts[i].Slot, width, height));
            foreach (var (row, b, s) in copies)
            {
                var (from, fromSlot) = firstSlot[row];
                var (width, height) = sizes[from];
                Slot(from, fromSlot, width, height).CopyTo(Slot(b, s, width, height));
            }
        }
        catch
        {
            if (pool is not null) foreach (var array in arrays) if (array is not null) pool.Return(array);
            throw;
        }
        return [.. arrays.Select((array, b) => new BatchFrames(array!, sizes[b].Height, sizes[b].Width))];

        Span<byte> Slot(int b, int s, int width, int height)
        {
            var frameBytes = width * height * 3;
            if (arrays[b] is null)
            {
                arrays[b] = pool?.Rent(queryRows[b].Length * frameBytes) ?? GC.AllocateUninitializedArray<byte>(queryRows[b].Length * frameBytes);
                sizes[b] = (width, height);
            }
            else if (sizes[b] != (width, height))
                throw new DatasetException($"Camera '{camera}' frames change size within a batch ({sizes[b].Width}x{sizes[b].Height} vs {width}x{height}).");
            return arrays[b].AsSpan(s * frameBytes, frameBytes);
        }
    }
}
