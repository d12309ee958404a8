using System.Globalization;
using Zk0.Datasets.Frames;
using Zk0.Datasets.Metadata;
using Zk0.Datasets.Reading;

namespace Zk0.Datasets.Samples;

/// <summary>
/// Builds LeRobot-style samples: delta_timestamps become row offsets, clamped to the episode with a <c>_is_pad</c> mask,
/// numeric features are normalized from the stats and camera images stay 8-bit HWC, decoded straight into the batch's arrays.
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

    /// <summary>One sample as a batch of size 1.</summary>
    public Batch Build(int row) => Build([row]);

    /// <summary>
    /// Each camera's frames for each of these batches, decoded straight into one image array per batch (rented from
    /// <paramref name="imagePool"/> when given): what <see cref="Build"/> takes as <c>frames</c>.
    /// </summary>
    public IReadOnlyList<Dictionary<string, BatchFrames>> ReadFrames(IReadOnlyList<int[]> batches, BufferPool<byte>? imagePool = null)
    {
        var result = batches.Select(_ => new Dictionary<string, BatchFrames>(StringComparer.Ordinal)).ToList();
        try
        {
            foreach (var camera in _features.Where(f => f.IsCamera))
            {
                var frames = BatchFrameReader.Read(_dataset, camera.Key, [.. batches.Select(rows => QueryRows(camera.Key, rows).Rows)], imagePool);
                for (var b = 0; b < batches.Count; b++) result[b][camera.Key] = frames[b];
            }
        }
        catch
        {
            if (imagePool is not null) foreach (var frames in result.SelectMany(r => r.Values)) imagePool.Return(frames.Data);
            throw;
        }
        return result;
    }

    /// <summary>
    /// A batch for these rows. <paramref name="frames"/> holds each camera's frames for them (from <see cref="ReadFrames"/>);
    /// by default they are read here. With <paramref name="imagePool"/>, the image arrays came from that pool and go back
    /// to it when the batch is disposed.
    /// </summary>
    public Batch Build(IReadOnlyList<int> rows, IReadOnlyDictionary<string, BatchFrames>? frames = null, BufferPool<byte>? imagePool = null)
    {
        var size = rows.Count;
        var spans = rows.Select(_dataset.EpisodeOfRow).ToArray();
        frames ??= ReadFrames([[.. rows]], imagePool)[0];
        var tensors = new Dictionary<string, FloatBuffer>(StringComparer.Ordinal);
        var images = new Dictionary<string, ImageBuffer>(StringComparer.Ordinal);
        var padding = new Dictionary<string, BoolBuffer>(StringComparer.Ordinal);
        foreach (var feature in _features)
        {
            var (queryRows, pad) = QueryRows(feature.Key, rows);
            var hasDeltas = _deltaIndices.ContainsKey(feature.Key);
            int[] leading = hasDeltas ? [size, queryRows.Length / size] : [size];
            if (feature.IsCamera)
            {
                var camera = frames.TryGetValue(feature.Key, out var given) ? given
                    : throw new ArgumentException($"No frames were given for camera '{feature.Key}'.", nameof(frames));
                if (camera.Data.Length != queryRows.Length * camera.FrameBytes)
                    throw new ArgumentException($"Camera '{feature.Key}' has {camera.Data.Length} bytes of frames; {queryRows.Length} frames of {camera.Width}x{camera.Height} need {queryRows.Length * camera.FrameBytes}.", nameof(frames));
                images[feature.Key] = new ImageBuffer(camera.Data, [.. leading, camera.Height, camera.Width, 3]);
            }
            else
            {
                var (values, width) = Vectors(feature.Key, queryRows);
                tensors[feature.Key] = new FloatBuffer(values, [.. leading, width]);
            }
            if (hasDeltas) padding[$"{feature.Key}_is_pad"] = new BoolBuffer(pad, [size, leading[1]]);
        }
        return new Batch(size, tensors, images, padding,
            rows.Select(_dataset.Task).ToArray(),
            spans.Select(s => s.EpisodeIndex).ToArray(),
            rows.Select((r, i) => r - spans[i].RowStart).ToArray(),
            rows.ToArray(),
            rows.Select(_dataset.Timestamp).ToArray())
        {
            Pooled = imagePool is not null && images.Count > 0 ? new PooledArrays<byte>(imagePool, [.. images.Values.Select(i => i.Data)]) : null,
        };
    }

    /// <summary>The rows a feature is read at for each sample (its deltas, clamped to the episode), and which of them are padding.</summary>
    private (int[] Rows, bool[] Pad) QueryRows(string key, IReadOnlyList<int> rows)
    {
        var deltas = _deltaIndices.TryGetValue(key, out var d) ? d : [0];
        var steps = deltas.Length;
        var queryRows = new int[rows.Count * steps];
        var pad = new bool[rows.Count * steps];
        for (var b = 0; b < rows.Count; b++)
        {
            var span = _dataset.EpisodeOfRow(rows[b]);
            for (var t = 0; t < steps; t++)
            {
                var query = rows[b] + deltas[t];
                pad[b * steps + t] = query < span.RowStart || query >= span.RowEnd;
                queryRows[b * steps + t] = Math.Clamp(query, span.RowStart, span.RowEnd - 1);
            }
        }
        return (queryRows, pad);
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
}
