namespace Zk0.Datasets.Metadata;

/// <summary>Where a v3.0 episode's frames sit inside a concatenated mp4.</summary>
public sealed record VideoLocation(int ChunkIndex, int FileIndex, double FromTimestamp, double ToTimestamp);

/// <summary>One row of the episodes table (jsonl in v2.x, parquet in v3.0).</summary>
public sealed record EpisodeInfo(
    int EpisodeIndex, IReadOnlyList<string> Tasks, int Length,
    long? DatasetFromIndex = null, long? DatasetToIndex = null, int? DataChunkIndex = null, int? DataFileIndex = null,
    IReadOnlyDictionary<string, VideoLocation>? Videos = null);
