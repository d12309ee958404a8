using System.Text.Json.Serialization;

namespace Zk0.Datasets.Simulation;

/// <summary>What <c>episode-K.json</c> beside an evaluation video says about its episode.</summary>
public sealed record RolloutVideoInfo(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("episode")] int Episode,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("duration_seconds")] double DurationSeconds,
    [property: JsonPropertyName("camera")] string Camera,
    [property: JsonPropertyName("fps")] int Fps,
    [property: JsonPropertyName("frames")] int Frames,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("video")] string Video);
