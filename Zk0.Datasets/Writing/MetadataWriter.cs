using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;
using Zk0.Datasets.Stats;

namespace Zk0.Datasets.Writing;

/// <summary>Writes meta/: info.json, the tasks and episodes tables and the stats, in the chosen layout version.</summary>
internal static class MetadataWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly string[] DefaultScalars = ["timestamp", "frame_index", "episode_index", "index", "task_index"];

    public static async Task WriteAsync(string root, DatasetSpec spec, LeRobotWriterOptions options, CameraEncoding encoding,
        IReadOnlyList<WrittenEpisode> episodes, IReadOnlyList<string> tasks)
    {
        var meta = Path.Combine(root, "meta");
        Directory.CreateDirectory(meta);
        await File.WriteAllTextAsync(Path.Combine(meta, "info.json"), Info(spec, options, encoding, episodes, tasks.Count).ToJsonString(Indented));
        var global = GlobalStats(episodes);
        switch (options.Layout)
        {
            case LayoutVersion.V30:
                await WriteTasksParquetAsync(Path.Combine(meta, "tasks.parquet"), tasks, options.TasksColumnName);
                await WriteEpisodesParquetAsync(Path.Combine(meta, "episodes", "chunk-000", "file-000.parquet"), spec, encoding, episodes);
                await File.WriteAllTextAsync(Path.Combine(meta, "stats.json"), StatsJson(global, spec).ToJsonString(Indented));
                break;
            default:
                await File.WriteAllLinesAsync(Path.Combine(meta, "tasks.jsonl"),
                    tasks.Select((t, i) => new JsonObject { ["task_index"] = i, ["task"] = t }.ToJsonString()));
                await File.WriteAllLinesAsync(Path.Combine(meta, "episodes.jsonl"), episodes.Select(e =>
                    new JsonObject { ["episode_index"] = e.EpisodeIndex, ["tasks"] = new JsonArray(e.Task), ["length"] = e.Length }.ToJsonString()));
                if (options.Layout == LayoutVersion.V20)
                    await File.WriteAllTextAsync(Path.Combine(meta, "stats.json"), StatsJson(global, spec).ToJsonString(Indented));
                else
                    await File.WriteAllLinesAsync(Path.Combine(meta, "episodes_stats.jsonl"), episodes.Select(e =>
                        new JsonObject { ["episode_index"] = e.EpisodeIndex, ["stats"] = StatsJson(e.Stats, spec) }.ToJsonString()));
                break;
        }
    }

    private static JsonObject Info(DatasetSpec spec, LeRobotWriterOptions options, CameraEncoding encoding, IReadOnlyList<WrittenEpisode> episodes, int taskCount)
    {
        var isV3 = options.Layout == LayoutVersion.V30;
        var video = encoding is CameraEncoding.Av1 or CameraEncoding.H264;
        var info = new JsonObject
        {
            ["codebase_version"] = options.Layout switch { LayoutVersion.V20 => "v2.0", LayoutVersion.V21 => "v2.1", _ => "v3.0" },
            ["robot_type"] = spec.RobotType,
            ["total_episodes"] = episodes.Count,
            ["total_frames"] = episodes.Sum(e => (long)e.Length),
            ["total_tasks"] = taskCount,
        };
        if (!isV3)
        {
            info["total_videos"] = video ? episodes.Count * spec.Cameras.Count : 0;
            info["total_chunks"] = (episodes.Count - 1) / PathTemplates.ChunksSize + 1;
        }
        info["chunks_size"] = PathTemplates.ChunksSize;
        if (isV3)
        {
            info["data_files_size_in_mb"] = options.DataFilesSizeInMb;
            info["video_files_size_in_mb"] = options.VideoFilesSizeInMb;
        }
        info["fps"] = spec.Fps;
        info["splits"] = new JsonObject { ["train"] = $"0:{episodes.Count}" };
        info["data_path"] = isV3 ? PathTemplates.V3DataPath : PathTemplates.V2DataPath;
        info["video_path"] = video && spec.Cameras.Count > 0 ? (isV3 ? PathTemplates.V3VideoPath : PathTemplates.V2VideoPath) : null;
        var features = new JsonObject
        {
            [spec.State.Key] = Vector(spec.State),
            [spec.Action.Key] = Vector(spec.Action),
        };
        foreach (var camera in spec.Cameras)
        {
            var feature = new JsonObject
            {
                ["dtype"] = video ? "video" : "image",
                ["shape"] = new JsonArray(camera.Height, camera.Width, 3),
                ["names"] = new JsonArray("height", "width", "channels"),
            };
            if (video)
                feature["info"] = new JsonObject
                {
                    ["video.height"] = camera.Height, ["video.width"] = camera.Width,
                    ["video.codec"] = encoding == CameraEncoding.Av1 ? "av1" : "h264", ["video.pix_fmt"] = "yuv420p",
                    ["video.is_depth_map"] = false, ["video.fps"] = spec.Fps, ["video.channels"] = 3, ["video.g"] = options.Gop,
                    ["has_audio"] = false,
                };
            features[camera.Key] = feature;
        }
        features["timestamp"] = Scalar("float32");
        foreach (var key in DefaultScalars.Skip(1)) features[key] = Scalar("int64");
        info["features"] = features;
        return info;

        static JsonObject Vector(VectorFeatureSpec v) => new()
        {
            ["dtype"] = "float32", ["shape"] = new JsonArray(v.Dim), ["names"] = new JsonArray(v.Names.Select(n => (JsonNode?)n).ToArray()),
        };
        static JsonObject Scalar(string dtype) => new() { ["dtype"] = dtype, ["shape"] = new JsonArray(1), ["names"] = null };
    }

    private static Dictionary<string, FeatureStats> GlobalStats(IReadOnlyList<WrittenEpisode> episodes) =>
        episodes[0].Stats.Keys.ToDictionary(key => key, key => FeatureStats.Aggregate(episodes.Select(e => e.Stats[key]).ToList()));

    private static JsonObject StatsJson(IReadOnlyDictionary<string, FeatureStats> stats, DatasetSpec spec)
    {
        var cameras = spec.Cameras.Select(c => c.Key).ToHashSet();
        var json = new JsonObject();
        foreach (var (key, s) in stats)
        {
            var image = cameras.Contains(key);
            JsonArray Values(double[] v) => image
                ? new JsonArray(v.Select(x => (JsonNode)new JsonArray(new JsonArray(x))).ToArray())
                : new JsonArray(v.Select(x => (JsonNode)x).ToArray());
            json[key] = new JsonObject
            {
                ["min"] = Values(s.Min), ["max"] = Values(s.Max), ["mean"] = Values(s.Mean), ["std"] = Values(s.Std), ["count"] = new JsonArray(s.Count),
            };
        }
        return json;
    }

    private static async Task WriteTasksParquetAsync(string path, IReadOnlyList<string> tasks, string taskColumn)
    {
        var taskIndex = new DataField<long?>("task_index");
        var task = new DataField<string>(taskColumn);
        await using var stream = new FileStream(path, FileMode.CreateNew);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(taskIndex, task), stream);
        using var rowGroup = writer.CreateRowGroup();
        await ParquetColumns.WriteAsync(rowGroup, taskIndex, tasks.Select((_, i) => (long)i).ToArray());
        await rowGroup.WriteAsync(task, tasks.ToArray());
    }

    private static async Task WriteEpisodesParquetAsync(string path, DatasetSpec spec, CameraEncoding encoding, IReadOnlyList<WrittenEpisode> episodes)
    {
        var longs = new List<(DataField Field, Func<WrittenEpisode, long> Value)>();
        var doubles = new List<(DataField Field, Func<WrittenEpisode, double> Value)>();
        DataField Long(string name, Func<WrittenEpisode, long> value) { var f = new DataField<long?>(name); longs.Add((f, value)); return f; }
        DataField Double(string name, Func<WrittenEpisode, double> value) { var f = new DataField<double?>(name); doubles.Add((f, value)); return f; }

        var tasks = ParquetColumns.StringList("tasks");
        var fields = new List<Field> { Long("episode_index", e => e.EpisodeIndex), tasks, Long("length", e => e.Length),
            Long("data/chunk_index", e => e.DataChunkIndex), Long("data/file_index", e => e.DataFileIndex),
            Long("dataset_from_index", e => e.DatasetFromIndex), Long("dataset_to_index", e => e.DatasetFromIndex + e.Length) };
        if (encoding is CameraEncoding.Av1 or CameraEncoding.H264)
            foreach (var camera in spec.Cameras)
            {
                var key = camera.Key;
                fields.Add(Long($"videos/{key}/chunk_index", e => e.Videos[key].ChunkIndex));
                fields.Add(Long($"videos/{key}/file_index", e => e.Videos[key].FileIndex));
                fields.Add(Double($"videos/{key}/from_timestamp", e => e.Videos[key].FromTimestamp));
                fields.Add(Double($"videos/{key}/to_timestamp", e => e.Videos[key].ToTimestamp));
            }
        fields.Add(Long("meta/episodes/chunk_index", _ => 0));
        fields.Add(Long("meta/episodes/file_index", _ => 0));
        var statsColumns = new List<(ListField Field, Func<WrittenEpisode, double[]> Value)>();
        var countColumns = new List<(ListField Field, Func<WrittenEpisode, long[]> Value)>();
        foreach (var feature in episodes[0].Stats.Keys)
        {
            foreach (var (stat, pick) in new (string, Func<FeatureStats, double[]>)[] { ("min", s => s.Min), ("max", s => s.Max), ("mean", s => s.Mean), ("std", s => s.Std) })
            {
                var field = ParquetColumns.DoubleList($"stats/{feature}/{stat}");
                fields.Add(field);
                statsColumns.Add((field, e => pick(e.Stats[feature])));
            }
            var count = ParquetColumns.LongList($"stats/{feature}/count");
            fields.Add(count);
            countColumns.Add((count, e => [e.Stats[feature].Count]));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var stream = new FileStream(path, FileMode.CreateNew);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var rowGroup = writer.CreateRowGroup();
        foreach (var field in fields)
        {
            if (field == tasks) await ParquetColumns.WriteStringListAsync(rowGroup, tasks, episodes.Select(e => new[] { e.Task }).ToList());
            else if (longs.FirstOrDefault(l => l.Field == field) is { Field: not null } l) await ParquetColumns.WriteAsync(rowGroup, l.Field, episodes.Select(l.Value).ToArray());
            else if (doubles.FirstOrDefault(d => d.Field == field) is { Field: not null } d) await ParquetColumns.WriteAsync(rowGroup, d.Field, episodes.Select(d.Value).ToArray());
            else if (statsColumns.FirstOrDefault(s => s.Field == field) is { Field: not null } s) await ParquetColumns.WriteListAsync(rowGroup, s.Field, episodes.Select(s.Value).ToList());
            else if (countColumns.FirstOrDefault(c => c.Field == field) is { Field: not null } c) await ParquetColumns.WriteListAsync(rowGroup, c.Field, episodes.Select(c.Value).ToList());
        }
    }
}
