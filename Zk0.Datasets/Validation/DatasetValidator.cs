using System.Globalization;
using System.Text.RegularExpressions;
using Zk0.Datasets.Frames;
using Zk0.Datasets.Metadata;
using Zk0.Datasets.Parquet;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Uris;
using Zk0.Datasets.Video;
using Zk0.Datasets.Writing;

namespace Zk0.Datasets.Validation;

/// <summary>Checks a dataset against its own metadata and LeRobot's rules, collecting every problem instead of stopping at the first.</summary>
public static class DatasetValidator
{
    public static async Task<ValidationReport> ValidateAsync(string uri, double toleranceS = 1e-4, CancellationToken cancellationToken = default)
    {
        var root = DatasetUri.Resolve(uri);
        var problems = new List<ValidationProblem>();
        void Add(Severity severity, string rule, string? file, int? episode, string message) => problems.Add(new(severity, rule, file, episode, message));

        DatasetMetadata metadata;
        try
        {
            metadata = await MetadataReader.ReadAsync(root, cancellationToken);
        }
        catch (DatasetException e)
        {
            Add(Severity.Error, ValidationRules.Metadata, null, null, e.Message);
            CheckLayout(root, null, Add);
            return new ValidationReport(root, problems);
        }
        var info = metadata.Info;
        CheckLayout(root, info, Add);
        CheckMetadata(metadata, Add);

        FrameTable table;
        try
        {
            table = await FrameTable.LoadAsync(metadata, cancellationToken);
        }
        catch (DatasetException e)
        {
            Add(Severity.Error, ValidationRules.Metadata, null, null, e.Message);
            return new ValidationReport(root, problems);
        }
        foreach (var missing in table.MissingFiles)
            Add(Severity.Error, ValidationRules.MissingFile, missing, null, "data file named by meta/ (data_path template) does not exist.");
        foreach (var column in new[] { "timestamp", "episode_index", "frame_index", "index" })
            if (!table.Numeric.ContainsKey(column) && table.Rows > 0)
                Add(Severity.Error, ValidationRules.Shape, table.Files.FirstOrDefault()?.RelativePath, null, $"the data parquet has no '{column}' column.");

        if (table.Rows > info.TotalFrames && info.TotalFrames > 0)
        {
            Add(Severity.Warning, ValidationRules.DoubledRows, null, null,
                $"{table.Rows} rows but info.json total_frames={info.TotalFrames} (the doubled data of LeRobot issue #1875); readers keep the first {info.TotalFrames} rows.");
            table = table.Truncate((int)info.TotalFrames);
        }
        else if (table.Rows < info.TotalFrames && table.MissingFiles.Count == 0)
            Add(Severity.Error, ValidationRules.RowCount, null, null, $"{table.Rows} rows in the data files but info.json says total_frames={info.TotalFrames}.");

        if (table.Numeric.ContainsKey("episode_index") && table.Numeric.ContainsKey("timestamp"))
        {
            CheckRows(metadata, table, toleranceS, Add);
            CheckShapes(metadata, table, Add);
            CheckCameras(metadata, table, toleranceS, Add);
        }
        return new ValidationReport(root, problems);
    }

    private static void CheckMetadata(DatasetMetadata metadata, Action<Severity, string, string?, int?, string> add)
    {
        var info = metadata.Info;
        var episodesFile = info.IsV3 ? "meta/episodes" : "meta/episodes.jsonl";
        if (metadata.Episodes.Count != info.TotalEpisodes)
            add(Severity.Error, ValidationRules.Episodes, episodesFile, null, $"{metadata.Episodes.Count} episodes listed but info.json says total_episodes={info.TotalEpisodes}.");
        foreach (var duplicate in metadata.Episodes.GroupBy(e => e.EpisodeIndex).Where(g => g.Count() > 1))
            add(Severity.Error, ValidationRules.Episodes, episodesFile, duplicate.Key, $"episode {duplicate.Key} is listed {duplicate.Count()} times.");
        var listedFrames = metadata.Episodes.Sum(e => (long)e.Length);
        if (listedFrames != info.TotalFrames)
            add(Severity.Error, ValidationRules.RowCount, episodesFile, null, $"episode lengths sum to {listedFrames} but info.json says total_frames={info.TotalFrames}.");
        if (metadata.Tasks.Count != info.TotalTasks)
            add(Severity.Warning, ValidationRules.Tasks, info.IsV3 ? "meta/tasks.parquet" : "meta/tasks.jsonl", null, $"{metadata.Tasks.Count} tasks but info.json says total_tasks={info.TotalTasks}.");
        if (info.IsV3)
        {
            long expectedFrom = 0;
            foreach (var episode in metadata.Episodes)
            {
                if (episode.DatasetFromIndex != expectedFrom || episode.DatasetToIndex != expectedFrom + episode.Length)
                    add(Severity.Error, ValidationRules.Index, episodesFile, episode.EpisodeIndex,
                        $"dataset_from_index/to_index are {episode.DatasetFromIndex}/{episode.DatasetToIndex}, expected {expectedFrom}/{expectedFrom + episode.Length} (contiguous after the previous episode).");
                expectedFrom = (episode.DatasetToIndex ?? expectedFrom + episode.Length);
                foreach (var video in info.VideoFeatures)
                    if (episode.Videos is null || !episode.Videos.ContainsKey(video.Key))
                        add(Severity.Error, ValidationRules.Episodes, episodesFile, episode.EpisodeIndex, $"no videos/{video.Key}/* location for this episode.");
            }
        }
    }

    /// <summary>Files on disk that the templates do not produce, and files of the other layout version.</summary>
    private static void CheckLayout(string root, DatasetInfo? info, Action<Severity, string, string?, int?, string> add)
    {
        var v3Data = PathTemplate.ToRegex(PathTemplates.V3DataPath);
        var v2Data = PathTemplate.ToRegex(PathTemplates.V2DataPath);
        var v3Video = PathTemplate.ToRegex(PathTemplates.V3VideoPath);
        var v2Video = PathTemplate.ToRegex(PathTemplates.V2VideoPath);
        var isV3 = info?.IsV3;
        var dataTemplate = info is null ? null : PathTemplate.ToRegex(info.DataPath);
        var videoTemplate = info?.VideoPath is null ? null : PathTemplate.ToRegex(info.VideoPath);
        var v2Seen = false;
        var v3Seen = false;
        foreach (var file in Files(root, "data").Concat(Files(root, "videos")))
        {
            var isVideo = file.StartsWith("videos/", StringComparison.Ordinal);
            var isData = file.EndsWith(".parquet", StringComparison.Ordinal);
            if (!isVideo && !isData) continue;
            var matchesOwn = isVideo ? videoTemplate?.IsMatch(file) ?? false : dataTemplate?.IsMatch(file) ?? false;
            var looksV3 = isVideo ? v3Video.IsMatch(file) : v3Data.IsMatch(file);
            var looksV2 = isVideo ? v2Video.IsMatch(file) : v2Data.IsMatch(file);
            v3Seen |= looksV3;
            v2Seen |= looksV2;
            if (matchesOwn) continue;
            if ((isV3 == true && looksV2) || (isV3 == false && looksV3))
                add(Severity.Error, ValidationRules.MixedLayout, file, null,
                    $"a v{(looksV3 ? "3.0" : "2.x")} file inside a {info!.CodebaseVersion} dataset: two layouts are mixed (a reader that globs data/ loads every frame twice, LeRobot issue #1875). Remove the file or re-download the dataset into an empty directory.");
            else
                add(Severity.Warning, ValidationRules.ExtraFile, file, null, "not named by info.json's data_path/video_path; it is ignored.");
        }
        var meta = Path.Combine(root, "meta");
        if (isV3 == true && File.Exists(Path.Combine(meta, "episodes.jsonl")))
            add(Severity.Error, ValidationRules.MixedLayout, "meta/episodes.jsonl", null, "v2.x episodes table in a v3.0 dataset.");
        if (isV3 == false && Directory.Exists(Path.Combine(meta, "episodes")))
            add(Severity.Error, ValidationRules.MixedLayout, "meta/episodes", null, "v3.0 episodes directory in a v2.x dataset.");
        if (info is null && v2Seen && v3Seen)
            add(Severity.Error, ValidationRules.MixedLayout, "data", null, "both v2.x (episode_*.parquet) and v3.0 (file-*.parquet) data files are present.");
    }

    private static IEnumerable<string> Files(string root, string folder)
    {
        var directory = Path.Combine(root, folder);
        return Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)
            : [];
    }

    private static void CheckRows(DatasetMetadata metadata, FrameTable table, double toleranceS, Action<Severity, string, string?, int?, string> add)
    {
        var episodeColumn = table.Column("episode_index");
        var timestamps = table.Column("timestamp");
        table.Numeric.TryGetValue("frame_index", out var frameIndex);
        table.Numeric.TryGetValue("index", out var index);
        table.Numeric.TryGetValue("task_index", out var taskIndex);
        var period = 1.0 / metadata.Info.Fps;
        var lengths = new Dictionary<int, int>();
        var seenIndex = new HashSet<long>();
        long? previousIndex = null;
        var reportedIndex = 0;
        var reportedTime = new HashSet<int>();
        var runs = new List<int>();
        for (var row = 0; row < table.Rows; row++)
        {
            var episode = (int)Value(episodeColumn, row);
            var file = table.FileOfRow(row);
            if (runs.Count == 0 || runs[^1] != episode)
            {
                if (runs.Contains(episode))
                    add(Severity.Error, ValidationRules.Episodes, file, episode, "the rows of this episode are not contiguous.");
                runs.Add(episode);
            }
            var position = lengths.TryGetValue(episode, out var n) ? n : 0;
            lengths[episode] = position + 1;
            if (frameIndex is not null && (int)Value(frameIndex, row) != position && reportedTime.Add(episode))
                add(Severity.Error, ValidationRules.Index, file, episode, $"frame_index is {Value(frameIndex, row)} at the episode's row {position}; it must count 0, 1, 2, …");
            if (position > 0)
            {
                var gap = Value(timestamps, row) - Value(timestamps, row - 1);
                if (Math.Abs(gap - period) > toleranceS && reportedTime.Add(episode))
                    add(Severity.Error, ValidationRules.Timestamps, file, episode, string.Create(CultureInfo.InvariantCulture,
                        $"timestamps jump by {gap:0.######} s at frame {position}; at {metadata.Info.Fps} fps they must step by {period:0.######} s ± {toleranceS} s."));
            }
            if (index is not null)
            {
                var value = (long)Value(index, row);
                if (!seenIndex.Add(value) && reportedIndex++ < 5)
                    add(Severity.Error, ValidationRules.Index, file, episode, $"index {value} appears more than once.");
                else if (previousIndex is { } p && value != p + 1 && reportedIndex++ < 5)
                    add(Severity.Error, ValidationRules.Index, file, episode, $"index jumps from {p} to {value}; it must be contiguous.");
                previousIndex = value;
            }
            if (taskIndex is not null && !metadata.Tasks.ContainsKey((int)Value(taskIndex, row)) && reportedTime.Add(-1 - episode))
                add(Severity.Error, ValidationRules.Tasks, file, episode, $"task_index {Value(taskIndex, row)} is not in the tasks table.");
        }
        if (index is not null && table.Rows > 0 && (long)Value(index, 0) != 0)
            add(Severity.Error, ValidationRules.Index, table.FileOfRow(0), (int)Value(episodeColumn, 0), $"index starts at {Value(index, 0)}, not 0.");
        foreach (var episode in metadata.Episodes)
        {
            var actual = lengths.GetValueOrDefault(episode.EpisodeIndex);
            if (actual != episode.Length)
                add(Severity.Error, ValidationRules.Episodes, DataFileOf(metadata, episode), episode.EpisodeIndex,
                    actual == 0 ? "listed in meta/ but has no rows in the data files." : $"meta/ says length {episode.Length} but the data has {actual} rows.");
        }
        foreach (var extra in lengths.Keys.Except(metadata.Episodes.Select(e => e.EpisodeIndex)))
            add(Severity.Error, ValidationRules.Episodes, null, extra, "has rows in the data files but is not listed in meta/.");
    }

    private static string? DataFileOf(DatasetMetadata metadata, EpisodeInfo episode)
    {
        try { return DataFiles.DataFilePaths(metadata with { Episodes = [episode] }).FirstOrDefault(); }
        catch (DatasetException) { return null; }
    }

    private static void CheckShapes(DatasetMetadata metadata, FrameTable table, Action<Severity, string, string?, int?, string> add)
    {
        var episodeColumn = table.Column("episode_index");
        foreach (var feature in metadata.Info.Features.Where(f => f.IsNumeric))
        {
            if (!table.Numeric.TryGetValue(feature.Key, out var column))
            {
                add(Severity.Error, ValidationRules.Shape, table.Files.FirstOrDefault()?.RelativePath, null, $"feature '{feature.Key}' ({feature.DType} {Shape(feature.Shape)}) has no column in the data parquet.");
                continue;
            }
            var reported = new HashSet<int>();
            for (var row = 0; row < table.Rows; row++)
            {
                var width = column.Width(row);
                if (width == feature.Size) continue;
                var episode = (int)Value(episodeColumn, row);
                if (reported.Add(episode))
                    add(Severity.Error, ValidationRules.Shape, table.FileOfRow(row), episode,
                        $"'{feature.Key}' has {width} values at row {row} but info.json declares shape {Shape(feature.Shape)}.");
            }
        }
    }

    private static void CheckCameras(DatasetMetadata metadata, FrameTable table, double toleranceS, Action<Severity, string, string?, int?, string> add)
    {
        var cameras = metadata.Info.Cameras.ToList();
        if (cameras.Count == 0) return;
        var episodeColumn = table.Column("episode_index");
        var timestamps = table.Column("timestamp");
        var spans = new Dictionary<int, (int First, int Last)>();
        for (var row = 0; row < table.Rows; row++)
        {
            var episode = (int)Value(episodeColumn, row);
            spans[episode] = spans.TryGetValue(episode, out var s) ? (s.First, row) : (row, row);
        }
        var ffprobe = FfmpegTool.Find("ffprobe");
        var probes = new Dictionary<string, VideoProbe?>();
        foreach (var camera in cameras)
        {
            var (height, width) = camera.ImageSize;
            foreach (var episode in metadata.Episodes)
            {
                if (!spans.TryGetValue(episode.EpisodeIndex, out var span)) continue;
                if (camera.IsImage)
                {
                    var bytes = table.Images.GetValueOrDefault(camera.Key)?[span.First];
                    if (bytes is null) { add(Severity.Error, ValidationRules.Shape, table.FileOfRow(span.First), episode.EpisodeIndex, $"no image bytes for '{camera.Key}'."); continue; }
                    try
                    {
                        var frame = ImageCodec.Decode(bytes, camera.Key);
                        if (frame.Width != width || frame.Height != height)
                            add(Severity.Error, ValidationRules.Shape, table.FileOfRow(span.First), episode.EpisodeIndex, $"'{camera.Key}' images are {frame.Width}x{frame.Height} but info.json declares {width}x{height}.");
                    }
                    catch (DatasetException e) { add(Severity.Error, ValidationRules.Shape, table.FileOfRow(span.First), episode.EpisodeIndex, e.Message); }
                    continue;
                }
                string relative;
                double from;
                try { (relative, from) = DataFiles.VideoFile(metadata, episode, camera.Key); }
                catch (DatasetException e) { add(Severity.Error, ValidationRules.Video, null, episode.EpisodeIndex, e.Message); continue; }
                var path = Path.Combine(metadata.Root, relative);
                if (!File.Exists(path)) { add(Severity.Error, ValidationRules.MissingFile, relative, episode.EpisodeIndex, $"video of '{camera.Key}' does not exist."); continue; }
                if (ffprobe is null) continue;
                if (!probes.TryGetValue(path, out var probe))
                {
                    try { probe = VideoProbe.Run(ffprobe, path); }
                    catch (DatasetException e) { add(Severity.Error, ValidationRules.Video, relative, episode.EpisodeIndex, e.Message); probe = null; }
                    probes[path] = probe;
                    if (probe is not null && (probe.Width != width || probe.Height != height))
                        add(Severity.Error, ValidationRules.Shape, relative, episode.EpisodeIndex, $"video is {probe.Width}x{probe.Height} but info.json declares {width}x{height} for '{camera.Key}'.");
                }
                if (probe is null) continue;
                foreach (var row in new[] { span.First, span.Last })
                {
                    var query = from + Value(timestamps, row);
                    var nearest = probe.FrameTimes[probe.NearestFrame(query)];
                    if (Math.Abs(nearest - query) > toleranceS)
                    {
                        add(Severity.Error, ValidationRules.Video, relative, episode.EpisodeIndex, string.Create(CultureInfo.InvariantCulture,
                            $"no frame at {query:0.######} s (nearest {nearest:0.######} s, tolerance {toleranceS} s): the video is shorter than the episode or out of sync."));
                        break;
                    }
                }
            }
        }
    }

    private static double Value(NumericColumn column, int row) => column.Width(row) > 0 ? column.Row(row)[0] : double.NaN;
    private static string Shape(int[] shape) => $"[{string.Join(", ", shape)}]";
}
