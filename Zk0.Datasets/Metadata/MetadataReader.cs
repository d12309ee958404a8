using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet;
using Zk0.Datasets.Parquet;
using Zk0.Datasets.Stats;

namespace Zk0.Datasets.Metadata;

/// <summary>Reads meta/ for codebase v2.0, v2.1 and v3.0.</summary>
public static class MetadataReader
{
    public static async Task<DatasetMetadata> ReadAsync(string root, CancellationToken cancellationToken = default)
    {
        var info = DatasetInfo.Load(root);
        var meta = Path.Combine(root, "meta");
        IReadOnlyList<EpisodeInfo> episodes;
        IReadOnlyDictionary<int, string> tasks;
        var episodeStats = new Dictionary<int, IReadOnlyDictionary<string, FeatureStats>>();
        var episodeFiles = new List<string>();
        if (info.IsV3)
        {
            var files = Directory.Exists(Path.Combine(meta, "episodes"))
                ? Directory.EnumerateFiles(Path.Combine(meta, "episodes"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
                : [];
            if (files.Count == 0) throw new DatasetException($"{root}: a {info.CodebaseVersion} dataset needs meta/episodes/chunk-*/file-*.parquet, none found.");
            episodeFiles.AddRange(files);
            var list = new List<EpisodeInfo>();
            foreach (var file in files) list.AddRange(await ReadEpisodesParquetAsync(file, info, episodeStats, cancellationToken));
            episodes = list;
            tasks = await ReadTasksParquetAsync(Path.Combine(meta, "tasks.parquet"), cancellationToken);
        }
        else
        {
            var episodesPath = Path.Combine(meta, "episodes.jsonl");
            episodeFiles.Add(episodesPath);
            episodes = ReadJsonLines(episodesPath).Select(line => new EpisodeInfo(
                Int(line, "episode_index", episodesPath),
                line["tasks"] is JsonArray t ? t.Select(x => x!.ToString()).ToList() : [],
                Int(line, "length", episodesPath))).ToList();
            tasks = ReadJsonLines(Path.Combine(meta, "tasks.jsonl"))
                .ToDictionary(line => Int(line, "task_index", "meta/tasks.jsonl"), line => line["task"]?.ToString() ?? "");
            var statsPath = Path.Combine(meta, "episodes_stats.jsonl");
            if (File.Exists(statsPath))
                foreach (var line in ReadJsonLines(statsPath))
                    if (line["stats"] is JsonObject s) episodeStats[Int(line, "episode_index", statsPath)] = StatsJson.Parse(s, statsPath);
        }
        var stats = ReadGlobalStats(Path.Combine(meta, "stats.json"), episodeStats);
        return new DatasetMetadata(root, info, episodes.OrderBy(e => e.EpisodeIndex).ToList(), tasks, stats, episodeStats, episodeFiles);
    }

    private static IReadOnlyDictionary<string, FeatureStats> ReadGlobalStats(string path, Dictionary<int, IReadOnlyDictionary<string, FeatureStats>> episodeStats)
    {
        if (File.Exists(path))
        {
            try
            {
                if (JsonNode.Parse(File.ReadAllText(path)) is JsonObject json) return StatsJson.Parse(json, path);
            }
            catch (JsonException e)
            {
                throw new DatasetException($"{path} is not valid JSON: {e.Message}", e);
            }
        }
        if (episodeStats.Count == 0) return new Dictionary<string, FeatureStats>();
        return episodeStats.Values.SelectMany(s => s.Keys).Distinct().ToDictionary(
            key => key, key => FeatureStats.Aggregate(episodeStats.Values.Where(s => s.ContainsKey(key)).Select(s => s[key]).ToList()));
    }

    private static IEnumerable<JsonObject> ReadJsonLines(string path)
    {
        if (!File.Exists(path)) throw new DatasetException($"{path} is missing; v2.x datasets keep their episodes and tasks there.");
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonObject? json;
            try { json = JsonNode.Parse(line) as JsonObject; }
            catch (JsonException e) { throw new DatasetException($"{path}, line {number}: not valid JSON ({e.Message}).", e); }
            yield return json ?? throw new DatasetException($"{path}, line {number}: expected a JSON object.");
        }
    }

    private static int Int(JsonObject json, string key, string file) =>
        json[key] is JsonValue v && v.TryGetValue<double>(out var d) ? (int)d : throw new DatasetException($"{file}: an entry has no numeric '{key}'.");

    private static async Task<List<EpisodeInfo>> ReadEpisodesParquetAsync(string file, DatasetInfo info,
        Dictionary<int, IReadOnlyDictionary<string, FeatureStats>> episodeStats, CancellationToken cancellationToken)
    {
        await using var reader = await OpenParquetAsync(file, cancellationToken);
        var schema = reader.Schema;
        async Task<NumericColumn?> Numeric(string column) =>
            ParquetColumnReader.FindLeaf(schema, column) is { } leaf ? await ParquetColumnReader.ReadNumericAsync(reader, leaf, file, cancellationToken) : null;
        async Task<NumericColumn> Required(string column) => await Numeric(column)
            ?? throw new DatasetException($"{file}: column '{column}' is missing from the episodes table.");

        var index = await Required("episode_index");
        var length = await Required("length");
        var from = await Numeric("dataset_from_index");
        var to = await Numeric("dataset_to_index");
        var chunk = await Numeric("data/chunk_index");
        var fileIndex = await Numeric("data/file_index");
        var tasks = ParquetColumnReader.FindLeaf(schema, "tasks") is { } tasksLeaf
            ? await ParquetColumnReader.ReadStringsAsync(reader, tasksLeaf, cancellationToken) : null;
        var videos = new Dictionary<string, NumericColumn?[]>();
        foreach (var video in info.VideoFeatures)
            videos[video.Key] =
            [
                await Numeric($"videos/{video.Key}/chunk_index"), await Numeric($"videos/{video.Key}/file_index"),
                await Numeric($"videos/{video.Key}/from_timestamp"), await Numeric($"videos/{video.Key}/to_timestamp"),
            ];
        var statsColumns = new Dictionary<(string Feature, string Stat), NumericColumn>();
        foreach (var field in schema.Fields.Where(f => f.Name.StartsWith("stats/", StringComparison.Ordinal)))
        {
            var parts = field.Name.Split('/');
            if (parts.Length < 3 || ParquetColumnReader.FindLeaf(schema, field.Name) is not { } leaf) continue;
            statsColumns[(string.Join('/', parts[1..^1]), parts[^1])] = await ParquetColumnReader.ReadNumericAsync(reader, leaf, file, cancellationToken);
        }

        var episodes = new List<EpisodeInfo>();
        for (var row = 0; row < index.Rows; row++)
        {
            int? IntAt(NumericColumn? c) => c is not null && c.Width(row) > 0 ? (int)c.Row(row)[0] : null;
            long? LongAt(NumericColumn? c) => c is not null && c.Width(row) > 0 ? (long)c.Row(row)[0] : null;
            var locations = new Dictionary<string, VideoLocation>(StringComparer.Ordinal);
            foreach (var (key, columns) in videos)
                if (columns.All(c => c is not null))
                    locations[key] = new VideoLocation(IntAt(columns[0])!.Value, IntAt(columns[1])!.Value, columns[2]!.Row(row)[0], columns[3]!.Row(row)[0]);
            var episodeIndex = IntAt(index)!.Value;
            episodes.Add(new EpisodeInfo(episodeIndex, tasks?[row].Where(t => t is not null).Select(t => t!).ToList() ?? [], IntAt(length)!.Value,
                LongAt(from), LongAt(to), IntAt(chunk), IntAt(fileIndex), locations));
            var perEpisode = statsColumns.Keys.Select(k => k.Feature).Distinct()
                .Where(f => new[] { "min", "max", "mean", "std" }.All(s => statsColumns.ContainsKey((f, s))))
                .ToDictionary(f => f, f => new FeatureStats(
                    statsColumns[(f, "min")].Row(row).ToArray(), statsColumns[(f, "max")].Row(row).ToArray(),
                    statsColumns[(f, "mean")].Row(row).ToArray(), statsColumns[(f, "std")].Row(row).ToArray(),
                    statsColumns.TryGetValue((f, "count"), out var count) && count.Width(row) > 0 ? (long)count.Row(row)[0] : 0));
            if (perEpisode.Count > 0) episodeStats[episodeIndex] = perEpisode;
        }
        return episodes;
    }

    private static async Task<Dictionary<int, string>> ReadTasksParquetAsync(string file, CancellationToken cancellationToken)
    {
        if (!File.Exists(file)) throw new DatasetException($"{file} is missing; v3.0 datasets keep their tasks there.");
        await using var reader = await OpenParquetAsync(file, cancellationToken);
        var indexLeaf = ParquetColumnReader.FindLeaf(reader.Schema, "task_index")
            ?? throw new DatasetException($"{file}: column 'task_index' is missing.");
        // The task text is the pandas index: named 'task' by recent LeRobot, '__index_level_0__' by the converter.
        var textLeaf = new[] { "task", "__index_level_0__" }.Select(name => ParquetColumnReader.FindLeaf(reader.Schema, name)).FirstOrDefault(f => f is not null)
            ?? reader.Schema.GetDataFields().FirstOrDefault(f => f.ClrType == typeof(string))
            ?? throw new DatasetException($"{file}: no task text column ('task' or '__index_level_0__').");
        var indices = await ParquetColumnReader.ReadNumericAsync(reader, indexLeaf, file, cancellationToken);
        var texts = await ParquetColumnReader.ReadStringsAsync(reader, textLeaf, cancellationToken);
        var tasks = new Dictionary<int, string>();
        for (var row = 0; row < indices.Rows; row++) tasks[(int)indices.Row(row)[0]] = texts[row].FirstOrDefault() ?? "";
        return tasks;
    }

    internal static async Task<ParquetReader> OpenParquetAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetReader.CreateAsync(file, null, cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            throw new DatasetException($"{file} cannot be read as parquet: {e.Message}", e);
        }
    }
}
