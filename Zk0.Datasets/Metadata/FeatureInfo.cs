using System.Text.Json.Nodes;

namespace Zk0.Datasets.Metadata;

/// <summary>Codec facts of a video feature from info.json (<c>info</c> or the older <c>video_info</c>).</summary>
public sealed record VideoInfo(string? Codec, int? Width, int? Height, double? Fps, string? PixelFormat);

/// <summary>One entry of info.json <c>features</c>.</summary>
public sealed record FeatureInfo(string Key, string DType, int[] Shape, IReadOnlyList<string> Names, VideoInfo? Video)
{
    public bool IsVideo => DType == "video";
    public bool IsImage => DType == "image";
    public bool IsCamera => IsVideo || IsImage;
    public bool IsString => DType == "string";
    public bool IsNumeric => !IsCamera && !IsString;
    /// <summary>Number of values per frame (product of the shape).</summary>
    public int Size => Shape.Aggregate(1, (a, b) => a * b);

    /// <summary>Image (height, width) whichever of HWC or CHW the shape uses.</summary>
    public (int Height, int Width) ImageSize =>
        Shape.Length == 3 && Shape[0] == 3 && Shape[2] != 3 ? (Shape[1], Shape[2]) :
        Shape.Length == 3 && Names.Count == 3 && Names[0] == "channel" ? (Shape[1], Shape[2]) :
        Shape.Length >= 2 ? (Shape[0], Shape[1]) : (Video?.Height ?? 0, Video?.Width ?? 0);

    public static FeatureInfo Parse(string key, JsonObject json, string file)
    {
        var dtype = json["dtype"]?.GetValue<string>() ?? throw new DatasetException($"{file}: feature '{key}' has no dtype.");
        var shape = json["shape"] is JsonArray array
            ? array.Select(n => n!.GetValue<int>()).ToArray()
            : throw new DatasetException($"{file}: feature '{key}' has no shape list.");
        var info = (json["info"] ?? json["video_info"]) as JsonObject;
        VideoInfo? video = info is null ? null : new VideoInfo(
            Text(info["video.codec"]), Int(info["video.width"]), Int(info["video.height"]),
            Number(info["video.fps"]), Text(info["video.pix_fmt"]));
        return new FeatureInfo(key, dtype, shape, FlattenNames(json["names"]), video);
    }

    /// <summary><c>names</c> may be null, a list, a nested list, or a dict such as <c>{"motors": [...]}</c>.</summary>
    private static IReadOnlyList<string> FlattenNames(JsonNode? node)
    {
        var names = new List<string>();
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case null: break;
                case JsonArray a: foreach (var item in a) Walk(item); break;
                case JsonObject o: foreach (var (_, value) in o) Walk(value); break;
                case JsonValue v: names.Add(v.ToString()); break;
            }
        }
        Walk(node);
        return names;
    }

    private static string? Text(JsonNode? n) => n is JsonValue v ? v.ToString() : null;
    private static int? Int(JsonNode? n) => Number(n) is { } d ? (int)d : null;
    private static double? Number(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
}
