using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Writing;

/// <summary>One recorded time step: robot state, commanded action and one image per camera key.</summary>
public sealed record EpisodeFrame(float[] State, float[] Action, IReadOnlyDictionary<string, RgbFrame> Images);
