using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Zk0.Datasets.Metadata;

/// <summary>meta/info.json, parsed leniently (odd version strings, float fps, unknown keys).</summary>
public sealed record DatasetInfo(
    string CodebaseVersion, Version Version, string? RobotType, double Fps, int TotalEpisodes, long TotalFrames, int TotalTasks,
    int ChunksSize, string DataPath, string? VideoPath, IReadOnlyList<FeatureInfo> Features, JsonObject Raw)
{
    public bool IsV3 => Version.Major >= 3;
    public IEnumerable<FeatureInfo> Cameras => Features.Where(f => f.IsCamera);
    public IEnumerable<FeatureInfo> VideoFeatures => Features.Where(f => f.IsVideo);
    public FeatureInfo? Find(string key) => Features.FirstOrDefault(f => f.Key == key);

    public static DatasetInfo Load(string root)
    {
        var path = Path.Combine(root, "meta", "info.json");
        if (!File.Exists(path)) throw new DatasetException($"'{root}' is not a LeRobot dataset: {path} is missing.");
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new DatasetException($"{path}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new DatasetException($"{path} is not valid JSON: {e.Message}", e);
        }
        string Required(string key) => json[key]?.ToString() ?? throw new DatasetException($"{path}: required field '{key}' is missing.");
        var versionText = Required("codebase_version");
        var fps = json["fps"] is JsonValue fpsValue && fpsValue.TryGetValue<double>(out var f) ? f
            : throw new DatasetException($"{path}: 'fps' is missing or not a number.");
        if (fps <= 0) throw new DatasetException($"{path}: fps must be positive, got {fps}.");
        var features = json["features"] as JsonObject ?? throw new DatasetException($"{path}: 'features' is missing.");
        return new DatasetInfo(
            versionText, ParseVersion(versionText, path), json["robot_type"]?.ToString(), fps,
            IntOr(json["total_episodes"], 0), (long)(Number(json["total_frames"]) ?? 0), IntOr(json["total_tasks"], 0),
            IntOr(json["chunks_size"], 1000), Required("data_path"), json["video_path"]?.ToString(),
            features.Select(kv => FeatureInfo.Parse(kv.Key, kv.Value as JsonObject ?? throw new DatasetException($"{path}: feature '{kv.Key}' is not an object."), path)).ToList(),
            json);
    }

    /// <summary>"v2.1" → 2.1; lenient like packaging.version ("2.3.0", "0.4.0" are kept as written).</summary>
    public static Version ParseVersion(string text, string file)
    {
        var trimmed = text.Trim().TrimStart('v', 'V');
        if (Version.TryParse(trimmed.Contains('.') ? trimmed : trimmed + ".0", out var version)) return version;
        throw new DatasetException($"{file}: codebase_version '{text}' is not a version such as v2.1 or v3.0.");
    }

    private static double? Number(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
    private static int IntOr(JsonNode? n, int fallback) => Number(n) is { } d ? (int)d : fallback;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CodebaseVersion} {RobotType} {Fps} fps");
}
