using Zk0.Datasets.Stats;

namespace Zk0.Datasets.Writing;

internal sealed record VideoSegment(int ChunkIndex, int FileIndex, double FromTimestamp, double ToTimestamp);

/// <summary>Bookkeeping for one saved episode: where its rows and video segments went, and its stats.</summary>
internal sealed record WrittenEpisode(
    int EpisodeIndex, string Task, int Length, long DatasetFromIndex, int DataChunkIndex, int DataFileIndex,
    IReadOnlyDictionary<string, VideoSegment> Videos, IReadOnlyDictionary<string, FeatureStats> Stats);
