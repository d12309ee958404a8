using Zk0.Datasets.Frames;
using Zk0.Datasets.Stats;
using Zk0.Datasets.Video;

namespace Zk0.Datasets.Writing;

/// <summary>
/// Writes a LeRobot dataset (v3.0 by default): data parquet with one row group per episode, one mp4 per camera and file
/// fed by a single ffmpeg process (or PNG images inside the parquet when ffmpeg is absent), and meta/ with info, episodes,
/// tasks and stats. Use: <c>await using var w = LeRobotDatasetWriter.Create(dir, spec); await w.AddEpisodeAsync(task, frames); await w.CompleteAsync();</c>
/// An episode that fails half-way (a frame of the wrong size, …) is dropped; the episodes saved before it stay valid.
/// </summary>
public sealed class LeRobotDatasetWriter : IAsyncDisposable
{
    private readonly string _root;
    private readonly DatasetSpec _spec;
    private readonly LeRobotWriterOptions _options;
    private readonly string? _ffmpeg;
    private readonly List<WrittenEpisode> _episodes = [];
    private readonly List<string> _tasks = [];
    private readonly Dictionary<string, (VideoEncoderProcess Encoder, int Chunk, int File, int Episodes)> _videos = new(StringComparer.Ordinal);
    private DataFileWriter? _dataFile;
    private (int Chunk, int File) _nextDataFile, _nextVideoFile;
    private long _totalFrames;
    private bool _completed;

    public string Root => _root;
    public DatasetSpec Spec => _spec;
    public LeRobotWriterOptions Options => _options;
    /// <summary>Resolved storage: Av1, H264 or ParquetImages (never Auto).</summary>
    public CameraEncoding CameraEncoding { get; }
    public int EpisodesWritten => _episodes.Count;
    public long FramesWritten => _totalFrames;

    private LeRobotDatasetWriter(string root, DatasetSpec spec, LeRobotWriterOptions options)
    {
        _root = root;
        _spec = spec;
        _options = options;
        _ffmpeg = FfmpegTool.Find("ffmpeg", options.FfmpegPath);
        CameraEncoding = ResolveEncoding(options.Cameras, _ffmpeg, options.FfmpegPath, spec.Cameras.Any(c => c.Width < MinAv1Side || c.Height < MinAv1Side));
    }

    /// <summary>Starts a dataset in <paramref name="root"/>, which must not exist or be empty (nothing is overwritten).</summary>
    public static LeRobotDatasetWriter Create(string root, DatasetSpec spec, LeRobotWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        options ??= new LeRobotWriterOptions();
        if (options.MaxEpisodesPerFile < 1) throw new ArgumentException("MaxEpisodesPerFile must be at least 1.", nameof(options));
        var full = Path.GetFullPath(root);
        if (File.Exists(full) || (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any()))
            throw new DatasetException($"Refusing to write a dataset into '{full}': it already exists and is not empty. Choose a new directory.");
        var writer = new LeRobotDatasetWriter(full, spec, options);
        Directory.CreateDirectory(full);
        return writer;
    }

    /// <summary>Saves one episode. Frames are streamed: images go straight into the encoders, only vectors are kept.</summary>
    public async Task AddEpisodeAsync(string task, IEnumerable<EpisodeFrame> frames, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (string.IsNullOrWhiteSpace(task)) throw new ArgumentException("Every episode needs a task description.", nameof(task));
        var episodeIndex = _episodes.Count;
        var taskIndex = _tasks.IndexOf(task);
        if (taskIndex < 0) { _tasks.Add(task); taskIndex = _tasks.Count - 1; }
        var isV3 = _options.Layout == LayoutVersion.V30;
        var rows = new EpisodeRows(episodeIndex, _totalFrames, taskIndex);
        var stats = NewAccumulators();
        var starts = await OpenVideosAsync(episodeIndex, cancellationToken);
        try
        {
            foreach (var frame in frames)
            {
                cancellationToken.ThrowIfCancellationRequested();
                AddFrame(rows, stats, frame);
            }
            if (rows.Count == 0) throw new DatasetException($"Episode {episodeIndex} ('{task}') has no frames; nothing was saved for it.");
        }
        catch
        {
            if (!isV3) await AbandonVideosAsync();
            if (_tasks.Count - 1 == taskIndex && _episodes.All(e => e.Task != task)) _tasks.RemoveAt(taskIndex);
            throw;
        }

        var data = await DataFileForAsync(episodeIndex);
        await data.WriteEpisodeAsync(rows);
        var videos = new Dictionary<string, VideoSegment>(StringComparer.Ordinal);
        foreach (var (key, (encoder, chunk, file, count)) in _videos.ToList())
        {
            var start = starts[key];
            videos[key] = new VideoSegment(chunk, file, (double)start / _spec.Fps, (double)(start + rows.Count) / _spec.Fps);
            _videos[key] = (encoder, chunk, file, count + 1);
        }
        if (!isV3)
        {
            await CloseDataFileAsync();
            await CloseVideosAsync(cancellationToken);
        }
        _episodes.Add(new WrittenEpisode(episodeIndex, task, rows.Count, _totalFrames, data.ChunkIndex, data.FileIndex, videos,
            stats.ToDictionary(kv => kv.Key, kv => kv.Value.ToStats())));
        _totalFrames += rows.Count;
    }

    /// <summary>Closes the encoders and the data file and writes meta/. Returns the dataset root.</summary>
    public async Task<string> CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_episodes.Count == 0) throw new DatasetException($"No episode was saved into '{_root}'; a dataset needs at least one.");
        await CloseDataFileAsync();
        await CloseVideosAsync(cancellationToken);
        await MetadataWriter.WriteAsync(_root, _spec, _options, CameraEncoding, _episodes, _tasks);
        _completed = true;
        return _root;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataFile is not null) await CloseDataFileAsync();
        await AbandonVideosAsync();
        _completed = true;
    }

    private void AddFrame(EpisodeRows rows, Dictionary<string, StatsAccumulator> stats, EpisodeFrame frame)
    {
        var where = $"episode {rows.EpisodeIndex}, frame {rows.Count}";
        if (frame.State.Length != _spec.State.Dim) throw new DatasetException($"{where}: state has {frame.State.Length} values, the spec says {_spec.State.Dim}.");
        if (frame.Action.Length != _spec.Action.Dim) throw new DatasetException($"{where}: action has {frame.Action.Length} values, the spec says {_spec.Action.Dim}.");
        foreach (var camera in _spec.Cameras)
        {
            if (!frame.Images.TryGetValue(camera.Key, out var image)) throw new DatasetException($"{where}: no image for camera '{camera.Key}'.");
            if (image.Width != camera.Width || image.Height != camera.Height)
                throw new DatasetException($"{where}: camera '{camera.Key}' image is {image.Width}x{image.Height}, the spec says {camera.Width}x{camera.Height}.");
        }
        foreach (var camera in _spec.Cameras)
        {
            var image = frame.Images[camera.Key];
            if (CameraEncoding == CameraEncoding.ParquetImages)
            {
                if (!rows.EncodedImages.TryGetValue(camera.Key, out var list)) rows.EncodedImages[camera.Key] = list = [];
                list.Add(ImageCodec.EncodePng(image));
            }
            else _videos[camera.Key].Encoder.Write(image);
            stats[camera.Key].AddImage(image.Pixels);
        }
        var frameIndex = rows.Count;
        rows.States.Add((float[])frame.State.Clone());
        rows.Actions.Add((float[])frame.Action.Clone());
        stats[_spec.State.Key].AddRow(frame.State);
        stats[_spec.Action.Key].AddRow(frame.Action);
        stats["timestamp"].AddScalarRow((float)((double)frameIndex / _spec.Fps));
        stats["frame_index"].AddScalarRow(frameIndex);
        stats["episode_index"].AddScalarRow(rows.EpisodeIndex);
        stats["index"].AddScalarRow(rows.FirstIndex + frameIndex);
        stats["task_index"].AddScalarRow(rows.TaskIndex);
    }

    private Dictionary<string, StatsAccumulator> NewAccumulators()
    {
        var stats = new Dictionary<string, StatsAccumulator>(StringComparer.Ordinal)
        {
            [_spec.State.Key] = new(_spec.State.Dim),
            [_spec.Action.Key] = new(_spec.Action.Dim),
        };
        foreach (var camera in _spec.Cameras) stats[camera.Key] = new StatsAccumulator(3);
        foreach (var key in new[] { "timestamp", "frame_index", "episode_index", "index", "task_index" }) stats[key] = new StatsAccumulator(1);
        return stats;
    }

    private async Task<DataFileWriter> DataFileForAsync(int episodeIndex)
    {
        if (_options.Layout != LayoutVersion.V30)
        {
            var chunk = episodeIndex / 1000;
            var path = Path.Combine(_root, PathTemplates.V2Data(chunk, episodeIndex));
            return _dataFile = await DataFileWriter.CreateAsync(path, chunk, 0, _spec, CameraEncoding == CameraEncoding.ParquetImages);
        }
        if (_dataFile is not null && (_dataFile.Episodes >= _options.MaxEpisodesPerFile || _dataFile.BytesWritten >= _options.DataFilesSizeInMb * 1024L * 1024))
            await CloseDataFileAsync();
        if (_dataFile is null)
        {
            var (chunk, file) = _nextDataFile;
            _dataFile = await DataFileWriter.CreateAsync(Path.Combine(_root, PathTemplates.V3Data(chunk, file)), chunk, file, _spec,
                CameraEncoding == CameraEncoding.ParquetImages);
            _nextDataFile = PathTemplates.NextFile(chunk, file);
        }
        return _dataFile;
    }

    private async Task CloseDataFileAsync()
    {
        if (_dataFile is null) return;
        await _dataFile.DisposeAsync();
        _dataFile = null;
    }

    /// <summary>Makes sure every camera has an encoder for this episode; returns the frame each camera's segment starts at.</summary>
    private async Task<Dictionary<string, int>> OpenVideosAsync(int episodeIndex, CancellationToken cancellationToken)
    {
        var starts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (CameraEncoding == CameraEncoding.ParquetImages) return starts;
        var codec = CameraEncoding == CameraEncoding.Av1 ? "av1" : "h264";
        if (_options.Layout == LayoutVersion.V30 && _videos.Count > 0)
        {
            var count = _videos.Values.First().Episodes;
            var tooBig = _videos.Values.Any(v => File.Exists(v.Encoder.OutputPath) && new FileInfo(v.Encoder.OutputPath).Length >= _options.VideoFilesSizeInMb * 1024L * 1024);
            if (count >= _options.MaxEpisodesPerFile || tooBig) await CloseVideosAsync(cancellationToken);
        }
        if (_videos.Count == 0)
        {
            var (chunk, file) = _options.Layout == LayoutVersion.V30 ? _nextVideoFile : (episodeIndex / 1000, 0);
            foreach (var camera in _spec.Cameras)
            {
                var relative = _options.Layout == LayoutVersion.V30
                    ? PathTemplates.V3Video(camera.Key, chunk, file)
                    : PathTemplates.V2Video(camera.Key, chunk, episodeIndex);
                var encoder = VideoEncoderProcess.Start(_ffmpeg!, Path.Combine(_root, relative), camera.Width, camera.Height, _spec.Fps, codec, _options.Gop, _options.Crf);
                _videos[camera.Key] = (encoder, chunk, file, 0);
            }
            if (_options.Layout == LayoutVersion.V30) _nextVideoFile = PathTemplates.NextFile(chunk, file);
        }
        foreach (var (key, value) in _videos) starts[key] = value.Encoder.FramesWritten;
        return starts;
    }

    private async Task CloseVideosAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (encoder, _, _, _) in _videos.Values) await encoder.FinishAsync(cancellationToken);
        }
        finally
        {
            foreach (var (encoder, _, _, _) in _videos.Values) encoder.Dispose();
            _videos.Clear();
        }
    }

    private async Task AbandonVideosAsync()
    {
        foreach (var (encoder, _, _, _) in _videos.Values)
        {
            encoder.Dispose();
            if (_options.Layout != LayoutVersion.V30 && File.Exists(encoder.OutputPath)) File.Delete(encoder.OutputPath);
        }
        _videos.Clear();
        await Task.CompletedTask;
    }

    /// <summary>SVT-AV1 refuses frames smaller than 64 pixels on a side.</summary>
    private const int MinAv1Side = 64;

    private static CameraEncoding ResolveEncoding(CameraEncoding requested, string? ffmpeg, string? ffmpegPath, bool smallCamera)
    {
        if (requested == CameraEncoding.ParquetImages) return requested;
        if (requested == CameraEncoding.Av1 && smallCamera)
            throw new DatasetException($"AV1 (libsvtav1) needs camera frames of at least {MinAv1Side}x{MinAv1Side}; use H.264 or larger frames.");
        if (requested == CameraEncoding.Auto)
        {
            if (ffmpeg is null) return CameraEncoding.ParquetImages;
            if (!smallCamera && FfmpegTool.HasEncoder("libsvtav1", ffmpegPath)) return CameraEncoding.Av1;
            return FfmpegTool.HasEncoder("libx264", ffmpegPath) ? CameraEncoding.H264 : CameraEncoding.ParquetImages;
        }
        if (ffmpeg is null) FfmpegTool.Require("ffmpeg", ffmpegPath);
        var encoder = requested == CameraEncoding.Av1 ? "libsvtav1" : "libx264";
        if (!FfmpegTool.HasEncoder(encoder, ffmpegPath))
            throw new DatasetException($"This ffmpeg has no '{encoder}' encoder, needed for {requested} video. Use CameraEncoding.Auto or another codec.");
        return requested;
    }
}
