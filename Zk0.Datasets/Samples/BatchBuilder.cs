using System.Globalization;
using Zk0.Datasets.Frames;
using Zk0.Datasets.Metadata;
using Zk0.Datasets.Reading;

namespace Zk0.Datasets.Samples;

/// <summary>
/// Builds LeRobot-style samples: delta_timestamps become row offsets, clamped to the episode with a <c>_is_pad</c> mask,
/// numeric features are normalized from the stats and camera images stay 8-bit HWC, copied from the decoded frames.
/// </summary>
public sealed class BatchBuilder
{
    private readonly LeRobotDataset _dataset;
    private readonly IReadOnlyList<FeatureInfo> _features;
    private readonly Dictionary<string, int[]> _deltaIndices = new(StringComparer.Ordinal);

    public Normalizer Normalizer { get; }
    public IReadOnlyList<FeatureInfo> Features => _features;

    public BatchBuilder(LeRobotDataset dataset, SampleOptions? options = null)
    {
        options ??= new SampleOptions();
        _dataset = dataset;
        var keys = options.Features ?? dataset.Info.Features
            .Where(f => (f.IsCamera || f.IsNumeric) && !FrameTable.DefaultColumns.Contains(f.Key))
            .Where(f => f.IsCamera || dataset.Table.Numeric.ContainsKey(f.Key))
            .Select(f => f.Key).ToList();
        _features = keys.Select(k => dataset.Info.Find(k) is { } f && (f.IsCamera || f.IsNumeric) ? f
            : throw new DatasetException($"{dataset.Root}: feature '{k}' is not a numeric or camera feature of this dataset.")).ToList();
        foreach (var (key, deltas) in options.DeltaTimestamps)
        {
            if (!keys.Contains(key)) throw new DatasetException($"delta_timestamps names '{key}', which is not among the sampled features.");
            _deltaIndices[key] = deltas.Select(d => DeltaToIndex(key, d)).ToArray();
        }
        var stats = options.Stats is null ? dataset.Metadata.Stats
            : dataset.Metadata.Stats.Where(s => !options.Stats.ContainsKey(s.Key)).Concat(options.Stats).ToDictionary();
        Normalizer = new Normalizer(stats, options.Normalization ?? new Dictionary<string, NormalizationMode>
        {
            ["observation.state"] = NormalizationMode.MeanStd,
            ["action"] = NormalizationMode.MeanStd,
        });
    }

    private int DeltaToIndex(string key, double delta)
    {
        var steps = delta * _dataset.Fps;
        var index = (int)Math.Round(steps);
        if (Math.Abs(index - steps) / _dataset.Fps > _dataset.ToleranceS)
            throw new DatasetException(string.Create(CultureInfo.InvariantCulture,
                $"delta_timestamps['{key}'] has {delta} s, which is not a multiple of 1/fps = {1 / _dataset.Fps:0.######} s within tolerance {_dataset.ToleranceS} s."));
        return index;
    }

    /// <summary>Row offsets a feature is sampled at (its delta_timestamps in frames; [0] without).</summary>
    public IReadOnlyList<int> DeltaRows(string key) => _deltaIndices.TryGetValue(key, out var deltas) ? deltas : [0];

    /// <summary>One sample as a batch of size 1.</summary>
    public Batch Build(int row) => Build([row]);

    /// <summary>
    /// A batch for these rows. <paramref name="frames"/> supplies camera frames for (camera, rows); by default they are read
    /// from the dataset (the loader passes frames it decoded ahead). With <paramref name="imagePool"/>, image arrays are
    /// rented from it and go back when the batch is disposed.
    /// </summary>
    public Batch Build(IReadOnlyList<int> rows, Func<string, IReadOnlyList<int>, RgbFrame[]>? frames = null, BufferPool<byte>? imagePool = null)
    {
        frames ??= _dataset.ReadFrames;
        var size = rows.Count;
        var spans = rows.Select(_dataset.EpisodeOfRow).ToArray();
        var tensors = new Dictionary<string, FloatBuffer>(StringComparer.Ordinal);
        var images = new Dictionary<string, ImageBuffer>(StringComparer.Ordinal);
        var padding = new Dictionary<string, BoolBuffer>(StringComparer.Ordinal);
        var rented = new List<byte[]>();
        foreach (var feature in _features)
        {
            var hasDeltas = _deltaIndices.TryGetValue(feature.Key, out var deltas);
            deltas ??= [0];
            var steps = deltas.Length;
            var queryRows = new int[size * steps];
            var pad = new bool[size * steps];
            for (var b = 0; b < size; b++)
                for (var t = 0; t < steps; t++)
                {
                    var query = rows[b] + deltas[t];
                    pad[b * steps + t] = query < spans[b].RowStart || query >= spans[b].RowEnd;
                    queryRows[b * steps + t] = Math.Clamp(query, spans[b].RowStart, spans[b].RowEnd - 1);
                }
            int[] leading = hasDeltas ? [size, steps] : [size];
            if (feature.IsCamera)
            {
                var (pixels, frameShape) = Images(feature.Key, frames(feature.Key, queryRows), imagePool);
                if (imagePool is not null) rented.Add(pixels);
                images[feature.Key] = new ImageBuffer(pixels, [.. leading, .. frameShape]);
            }
            else
            {
                var (values, width) = Vectors(feature.Key, queryRows);
                tensors[feature.Key] = new FloatBuffer(values, [.. leading, width]);
            }
            if (hasDeltas) padding[$"{feature.Key}_is_pad"] = new BoolBuffer(pad, [size, steps]);
        }
        return new Batch(size, tensors, images, padding,
            rows.Select(_dataset.Task).ToArray(),
            spans.Select(s => s.EpisodeIndex).ToArray(),
            rows.Select((r, i) => r - spans[i].RowStart).ToArray(),
            rows.ToArray(),
            rows.Select(_dataset.Timestamp).ToArray())
        {
            Pooled = rented.Count > 0 ? new PooledArrays<byte>(imagePool!, rented) : null,
        };
    }

    private (float[] Data, int Width) Vectors(string key, int[] queryRows)
    {
        var column = _dataset.Table.Column(key);
        var width = column.Width(queryRows[0]);
        var data = new float[queryRows.Length * width];
        for (var i = 0; i < queryRows.Length; i++)
        {
            var values = column.Row(queryRows[i]);
            if (values.Length != width)
                throw new DatasetException($"{_dataset.Root}: '{key}' has {values.Length} values at row {queryRows[i]} ({_dataset.Table.FileOfRow(queryRows[i])}) but {width} elsewhere.");
            for (var d = 0; d < width; d++) data[i * width + d] = (float)values[d];
        }
        Normalizer.Normalize(key, data);
        return (data, width);
    }

    private static (byte[] Data, int[] Shape) Images(string key, RgbFrame[] frames, BufferPool<byte>? pool)
    {
        var (width, height) = (frames[0].Width, frames[0].Height);
        var frameBytes = width * height * 3;
        foreach (var frame in frames)
            if (frame.Width != width || frame.Height != height)
                throw new DatasetException($"Camera '{key}' frames change size within a batch ({width}x{height} vs {frame.Width}x{frame.Height}).");
        var data = pool?.Rent(frames.Length * frameBytes) ?? GC.AllocateUninitializedArray<byte>(frames.Length * frameBytes);
        for (var i = 0; i < frames.Length; i++) frames[i].Pixels.CopyTo(data.AsSpan(i * frameBytes, frameBytes));
        return (data, [height, width, 3]);
    }
}
