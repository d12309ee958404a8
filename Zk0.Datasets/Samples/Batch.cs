namespace Zk0.Datasets.Samples;

/// <summary>
/// Samples stacked along a leading batch dimension, as LeRobot's collate builds them: each feature is [B, ...] or, when it
/// has delta_timestamps, [B, T, ...] with a matching <c>{key}_is_pad</c> mask. Images are float CHW in [0,1].
/// </summary>
public sealed record Batch(
    int Size,
    IReadOnlyDictionary<string, FloatBuffer> Features,
    IReadOnlyDictionary<string, BoolBuffer> Padding,
    IReadOnlyList<string> Tasks,
    IReadOnlyList<int> EpisodeIndices,
    IReadOnlyList<int> FrameIndices,
    IReadOnlyList<int> Rows,
    IReadOnlyList<double> Timestamps)
{
    public FloatBuffer this[string key] => Features.TryGetValue(key, out var buffer) ? buffer
        : throw new KeyNotFoundException($"The batch has no feature '{key}'. It has: {string.Join(", ", Features.Keys)}.");
}
