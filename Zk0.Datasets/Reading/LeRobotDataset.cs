using Zk0.Datasets.Frames;
using Zk0.Datasets.Metadata;
using Zk0.Datasets.Uris;
using Zk0.Datasets.Video;

namespace Zk0.Datasets.Reading;

/// <summary>
/// An opened LeRobot dataset (v2.0, v2.1 or v3.0): metadata, every non-video column in memory, and camera frames on demand
/// (ffmpeg for videos, SkiaSharp for images stored in the parquet). Rows are positions in the concatenated data files.
/// </summary>
public sealed class LeRobotDataset : IDisposable
{
    private readonly Dictionary<int, EpisodeSpan> _episodesByIndex;
    private readonly Dictionary<int, EpisodeInfo> _episodeInfos;
    private readonly int[] _episodeOfRow;
    private readonly DatasetOpenOptions _options;
    private readonly Lazy<VideoFrameReader> _video;

    public string Uri { get; }
    public string Root => Metadata.Root;
    public DatasetMetadata Metadata { get; }
    public DatasetInfo Info => Metadata.Info;
    public FrameTable Table { get; }
    public IReadOnlyList<EpisodeSpan> Episodes { get; }
    public IReadOnlyList<string> Warnings { get; }
    public double Fps => Info.Fps;
    public int FrameCount => Table.Rows;
    public double ToleranceS => _options.ToleranceS;
    public IReadOnlyList<FeatureInfo> Cameras { get; }
    public VideoFrameReader VideoReader => _video.Value;

    private LeRobotDataset(string uri, DatasetMetadata metadata, FrameTable table, IReadOnlyList<EpisodeSpan> episodes, int[] episodeOfRow,
        IReadOnlyList<string> warnings, DatasetOpenOptions options)
    {
        Uri = uri;
        Metadata = metadata;
        Table = table;
        Episodes = episodes;
        _episodesByIndex = episodes.ToDictionary(e => e.EpisodeIndex);
        _episodeOfRow = episodeOfRow;
        _episodeInfos = metadata.Episodes.GroupBy(e => e.EpisodeIndex).ToDictionary(g => g.Key, g => g.First());
        Warnings = warnings;
        _options = options;
        Cameras = metadata.Info.Cameras.ToList();
        _video = new Lazy<VideoFrameReader>(() => new VideoFrameReader(options.FfmpegPath, options.CachedVideoFrames, options.MaxDecodeProcesses));
    }

    public static LeRobotDataset Open(string uri, DatasetOpenOptions? options = null) => OpenAsync(uri, options).GetAwaiter().GetResult();

    public static async Task<LeRobotDataset> OpenAsync(string uri, DatasetOpenOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DatasetOpenOptions();
        var root = DatasetUri.Resolve(uri);
        var metadata = await MetadataReader.ReadAsync(root, cancellationToken);
        var table = await FrameTable.LoadAsync(metadata, cancellationToken);
        if (table.MissingFiles.Count > 0)
            throw new DatasetException($"{root}: data files named by meta/ are missing: {string.Join(", ", table.MissingFiles.Take(5))}" +
                (table.MissingFiles.Count > 5 ? $" and {table.MissingFiles.Count - 5} more" : "") + ". Run 'zk0 dataset validate' for details.");
        foreach (var required in new[] { "timestamp", "episode_index" })
            if (!table.Numeric.ContainsKey(required)) throw new DatasetException($"{root}: the data parquet has no '{required}' column.");
        var warnings = new List<string>();
        if (metadata.Info.TotalFrames > 0 && table.Rows > metadata.Info.TotalFrames)
        {
            warnings.Add($"{table.Rows} rows were read but info.json says total_frames={metadata.Info.TotalFrames} (the doubled data of LeRobot issue #1875); keeping the first {metadata.Info.TotalFrames} rows.");
            table = table.Truncate((int)metadata.Info.TotalFrames);
        }
        var (episodes, episodeOfRow) = BuildEpisodeSpans(metadata, table);
        return new LeRobotDataset(uri, metadata, table, episodes, episodeOfRow, warnings, options);
    }

    private static (List<EpisodeSpan>, int[]) BuildEpisodeSpans(DatasetMetadata metadata, FrameTable table)
    {
        var column = table.Column("episode_index");
        var spans = new List<EpisodeSpan>();
        var episodeOfRow = new int[table.Rows];
        var seen = new HashSet<int>();
        var start = 0;
        for (var row = 0; row <= table.Rows; row++)
        {
            if (row < table.Rows && row > start && (int)column.Row(row)[0] == (int)column.Row(start)[0]) continue;
            if (row > start)
            {
                var episode = (int)column.Row(start)[0];
                if (!seen.Add(episode))
                    throw new DatasetException($"{metadata.Root}: rows of episode {episode} are not contiguous (in {table.FileOfRow(start)}).");
                var task = metadata.Episodes.FirstOrDefault(e => e.EpisodeIndex == episode)?.Tasks.FirstOrDefault() ?? "";
                if (table.Numeric.TryGetValue("task_index", out var taskColumn) && taskColumn.Width(start) > 0
                    && metadata.Tasks.TryGetValue((int)taskColumn.Row(start)[0], out var text)) task = text;
                spans.Add(new EpisodeSpan(episode, start, row, task));
                for (var r = start; r < row; r++) episodeOfRow[r] = spans.Count - 1;
            }
            start = row;
        }
        return (spans, episodeOfRow);
    }

    public EpisodeSpan Episode(int episodeIndex) => _episodesByIndex.TryGetValue(episodeIndex, out var span) ? span
        : throw new DatasetException($"{Root}: episode {episodeIndex} does not exist (episodes: {Episodes.Count}, first {Episodes.FirstOrDefault()?.EpisodeIndex}).");

    public EpisodeSpan EpisodeOfRow(int row) => Episodes[_episodeOfRow[CheckRow(row)]];

    public int RowOf(int episodeIndex, int frameIndex)
    {
        var span = Episode(episodeIndex);
        if (frameIndex < 0 || frameIndex >= span.Length)
            throw new DatasetException($"{Root}: episode {episodeIndex} has {span.Length} frames; frame index {frameIndex} is out of range.");
        return span.RowStart + frameIndex;
    }

    public double Timestamp(int row) => Table.Column("timestamp").Row(CheckRow(row))[0];

    public string Task(int row)
    {
        if (Table.Numeric.TryGetValue("task_index", out var column) && column.Width(CheckRow(row)) > 0)
            return Metadata.TaskText((int)column.Row(row)[0]);
        return EpisodeOfRow(row).Task;
    }

    /// <summary>The values of a numeric feature at a row, as float32.</summary>
    public float[] Vector(string key, int row)
    {
        var values = Table.Column(key).Row(CheckRow(row));
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = (float)values[i];
        return result;
    }

    public RgbFrame ReadFrame(string cameraKey, int row) => ReadFrames(cameraKey, [row])[0];

    /// <summary>Frames of one camera at many rows, each in its own array; video rows of one file are decoded in one forward pass.</summary>
    public RgbFrame[] ReadFrames(string cameraKey, IReadOnlyList<int> rows)
    {
        var camera = Camera(cameraKey);
        var result = new RgbFrame[rows.Count];
        if (camera.IsImage)
        {
            for (var i = 0; i < rows.Count; i++) result[i] = DecodeImage(cameraKey, rows[i]);
            return result;
        }
        foreach (var (path, queries) in VideoQueriesByFile(cameraKey, rows))
        {
            var frames = VideoReader.ReadAt(path, [.. queries.Select(q => q.Timestamp)], _options.ToleranceS, Hint(camera));
            for (var k = 0; k < queries.Count; k++) result[queries[k].Slot] = frames[k];
        }
        return result;
    }

    /// <summary>
    /// As <see cref="ReadFrames(string, IReadOnlyList{int})"/>, but the frame of rows[i] is written into
    /// <paramref name="target"/>(i, …): decoded straight into the caller's memory (a batch's image array).
    /// </summary>
    public void ReadFrames(string cameraKey, IReadOnlyList<int> rows, FrameTarget target)
    {
        var camera = Camera(cameraKey);
        if (camera.IsImage)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var frame = DecodeImage(cameraKey, rows[i]);
                frame.Pixels.CopyTo(target(i, frame.Width, frame.Height));
            }
            return;
        }
        foreach (var (path, queries) in VideoQueriesByFile(cameraKey, rows))
            VideoReader.ReadAt(path, [.. queries.Select(q => q.Timestamp)], _options.ToleranceS,
                (k, width, height) => target(queries[k].Slot, width, height), Hint(camera));
    }

    private FeatureInfo Camera(string cameraKey) => Info.Find(cameraKey) is { IsCamera: true } feature ? feature
        : throw new DatasetException($"{Root}: '{cameraKey}' is not a camera. Cameras: {string.Join(", ", Cameras.Select(c => c.Key))}.");

    private RgbFrame DecodeImage(string cameraKey, int row)
    {
        var bytes = Table.Images[cameraKey][CheckRow(row)]
            ?? throw new DatasetException($"{Root}: row {row} of {Table.FileOfRow(row)} has no image bytes for '{cameraKey}'.");
        return ImageCodec.Decode(bytes, $"{Table.FileOfRow(row)}, row {row}, '{cameraKey}'");
    }

    /// <summary>The video file of each row's episode, with the slot (index into rows) and timestamp of each query in it.</summary>
    private Dictionary<string, List<(int Slot, double Timestamp)>> VideoQueriesByFile(string cameraKey, IReadOnlyList<int> rows)
    {
        var byFile = new Dictionary<string, List<(int Slot, double Timestamp)>>();
        for (var i = 0; i < rows.Count; i++)
        {
            var episode = _episodeInfos.GetValueOrDefault(EpisodeOfRow(rows[i]).EpisodeIndex)
                ?? throw new DatasetException($"{Root}: episode {EpisodeOfRow(rows[i]).EpisodeIndex} is not in meta/episodes.");
            var (relative, from) = DataFiles.VideoFile(Metadata, episode, cameraKey);
            var path = Path.Combine(Root, relative);
            if (!byFile.TryGetValue(path, out var list)) byFile[path] = list = [];
            list.Add((i, from + Timestamp(rows[i])));
        }
        return byFile;
    }

    private VideoHint? Hint(FeatureInfo camera)
    {
        var (height, width) = camera.ImageSize;
        return width > 0 && height > 0 ? new VideoHint(width, height, camera.Video?.Fps ?? Fps) : null;
    }

    private int CheckRow(int row) => row >= 0 && row < FrameCount ? row
        : throw new DatasetException($"{Root}: row {row} is out of range (the dataset has {FrameCount} frames).");

    public void Dispose()
    {
        if (_video.IsValueCreated) _video.Value.Dispose();
    }
}
