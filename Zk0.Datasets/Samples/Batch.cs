using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Samples;

/// <summary>
/// Samples stacked along a leading batch dimension, as LeRobot's collate builds them: each feature is [B, ...] or, when it
/// has delta_timestamps, [B, T, ...] with a matching <c>{key}_is_pad</c> mask. Numeric features are floats, normalized;
/// camera images are the recorded 8-bit RGB, HWC (<see cref="ImageBuffer"/>), left for the policy to convert.
/// A batch from the loader may hold image arrays rented from the loader's pool: disposing the batch gives them back (all
/// but those taken with <see cref="TakeImage"/>), after which its image buffers must not be read. A batch that is never disposed keeps its arrays (the GC collects them).
/// </summary>
public sealed record Batch(
    int Size,
    IReadOnlyDictionary<string, FloatBuffer> Features,
    IReadOnlyDictionary<string, ImageBuffer> Images,
    IReadOnlyDictionary<string, BoolBuffer> Padding,
    IReadOnlyList<string> Tasks,
    IReadOnlyList<int> EpisodeIndices,
    IReadOnlyList<int> FrameIndices,
    IReadOnlyList<int> Rows,
    IReadOnlyList<double> Timestamps) : IDisposable
{
    /// <summary>Pooled arrays this batch gives back on <see cref="Dispose"/>; shared by copies made with <c>with</c>.</summary>
    internal PooledArrays<byte>? Pooled { get; init; }

    public void Dispose() => Pooled?.Release();

    public FloatBuffer this[string key] => Features.TryGetValue(key, out var buffer) ? buffer
        : throw new KeyNotFoundException($"The batch has no numeric feature '{key}'. It has: {string.Join(", ", Features.Keys)}.");

    public ImageBuffer Image(string key) => Images.TryGetValue(key, out var buffer) ? buffer
        : throw new KeyNotFoundException($"The batch has no camera '{key}'. It has: {string.Join(", ", Images.Keys)}.");

    /// <summary>
    /// Takes over camera <paramref name="key"/>'s image array, so that it can back a tensor without a copy: disposing the
    /// batch no longer gives it back to the loader's pool, calling the returned action does (a no-op for an array that
    /// is not pooled). Each camera's array can be taken once.
    /// </summary>
    public (ImageBuffer Image, Action GiveBack) TakeImage(string key)
    {
        var image = Image(key);
        return (image, Pooled?.Detach(image.Data) ?? (() => { }));
    }
}
