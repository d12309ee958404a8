using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;

namespace Zk0.Datasets.Writing;

/// <summary>The rows of one episode, ready to become a row group.</summary>
internal sealed class EpisodeRows(int episodeIndex, long firstIndex, int taskIndex)
{
    public int EpisodeIndex { get; } = episodeIndex;
    public long FirstIndex { get; } = firstIndex;
    public int TaskIndex { get; } = taskIndex;
    public List<float[]> States { get; } = [];
    public List<float[]> Actions { get; } = [];
    public Dictionary<string, List<byte[]>> EncodedImages { get; } = new(StringComparer.Ordinal);
    public int Count => States.Count;
}

/// <summary>A data parquet with LeRobot's columns, one row group per episode.</summary>
internal sealed class DataFileWriter : IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly ParquetWriter _writer;
    private readonly DatasetSpec _spec;
    private readonly ListField _state, _action;
    private readonly IReadOnlyList<(string Key, DataField Bytes, DataField Path)> _images;
    private readonly DataField _timestamp, _frameIndex, _episodeIndex, _index, _taskIndex;

    public string Path { get; }
    public int ChunkIndex { get; }
    public int FileIndex { get; }
    public int Episodes { get; private set; }
    public long BytesWritten => _stream.Position;

    private DataFileWriter(string path, int chunk, int file, FileStream stream, ParquetWriter writer, DatasetSpec spec,
        ListField state, ListField action, IReadOnlyList<(string, DataField, DataField)> images, DataField[] scalars)
    {
        Path = path; ChunkIndex = chunk; FileIndex = file; _stream = stream; _writer = writer; _spec = spec;
        _state = state; _action = action; _images = images;
        (_timestamp, _frameIndex, _episodeIndex, _index, _taskIndex) = (scalars[0], scalars[1], scalars[2], scalars[3], scalars[4]);
    }

    public static async Task<DataFileWriter> CreateAsync(string path, int chunk, int file, DatasetSpec spec, bool imagesInParquet)
    {
        var state = ParquetColumns.FloatList(spec.State.Key);
        var action = ParquetColumns.FloatList(spec.Action.Key);
        var images = new List<(string, DataField, DataField)>();
        var fields = new List<Field> { state, action };
        if (imagesInParquet)
            foreach (var camera in spec.Cameras)
            {
                var bytes = new DataField<byte[]>("bytes");
                var relPath = new DataField<string>("path");
                fields.Add(new StructField(camera.Key, bytes, relPath));
                images.Add((camera.Key, bytes, relPath));
            }
        DataField[] scalars =
        [
            new DataField<float?>("timestamp"), new DataField<long?>("frame_index"), new DataField<long?>("episode_index"),
            new DataField<long?>("index"), new DataField<long?>("task_index"),
        ];
        fields.AddRange(scalars);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite);
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        writer.CustomMetadata = new Dictionary<string, string> { ["huggingface"] = HuggingFaceFeatures(spec, imagesInParquet) };
        return new DataFileWriter(path, chunk, file, stream, writer, spec, state, action, images, scalars);
    }

    public async Task WriteEpisodeAsync(EpisodeRows rows)
    {
        using var rowGroup = _writer.CreateRowGroup();
        await ParquetColumns.WriteListAsync(rowGroup, _state, rows.States);
        await ParquetColumns.WriteListAsync(rowGroup, _action, rows.Actions);
        foreach (var (key, bytes, relPath) in _images)
        {
            var encoded = rows.EncodedImages[key];
            await rowGroup.WriteAsync(bytes, encoded);
            await rowGroup.WriteAsync(relPath, encoded.Select((_, i) => $"frame_{i:D6}.png").ToArray());
        }
        var n = rows.Count;
        await ParquetColumns.WriteAsync(rowGroup, _timestamp, Enumerable.Range(0, n).Select(i => (float)((double)i / _spec.Fps)).ToArray());
        await ParquetColumns.WriteAsync(rowGroup, _frameIndex, Enumerable.Range(0, n).Select(i => (long)i).ToArray());
        await ParquetColumns.WriteAsync(rowGroup, _episodeIndex, Enumerable.Repeat((long)rows.EpisodeIndex, n).ToArray());
        await ParquetColumns.WriteAsync(rowGroup, _index, Enumerable.Range(0, n).Select(i => rows.FirstIndex + i).ToArray());
        await ParquetColumns.WriteAsync(rowGroup, _taskIndex, Enumerable.Repeat((long)rows.TaskIndex, n).ToArray());
        Episodes++;
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _stream.DisposeAsync();
    }

    private static string HuggingFaceFeatures(DatasetSpec spec, bool imagesInParquet)
    {
        static JsonObject Value(string dtype) => new() { ["dtype"] = dtype, ["_type"] = "Value" };
        static JsonObject List(int length) => new() { ["feature"] = Value("float32"), ["length"] = length, ["_type"] = "List" };
        var features = new JsonObject { [spec.State.Key] = List(spec.State.Dim), [spec.Action.Key] = List(spec.Action.Dim) };
        if (imagesInParquet)
            foreach (var camera in spec.Cameras) features[camera.Key] = new JsonObject { ["_type"] = "Image" };
        features["timestamp"] = Value("float32");
        foreach (var key in new[] { "frame_index", "episode_index", "index", "task_index" }) features[key] = Value("int64");
        return new JsonObject { ["info"] = new JsonObject { ["features"] = features } }.ToJsonString();
    }
}
