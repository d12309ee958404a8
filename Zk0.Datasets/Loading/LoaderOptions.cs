using Zk0.Datasets.Samples;

namespace Zk0.Datasets.Loading;

public sealed record LoaderOptions
{
    public int BatchSize { get; init; } = 8;
    public bool Shuffle { get; init; } = true;
    public int Seed { get; init; }
    public bool DropLast { get; init; }
    /// <summary>Batches prepared ahead on a background task (bounded queue).</summary>
    public int PrefetchBatches { get; init; } = 4;
    /// <summary>Episodes to load (e.g. <see cref="EpisodeSplit.Train"/>); null means all.</summary>
    public IReadOnlyList<int>? Episodes { get; init; }
    /// <summary>
    /// Shuffling video works on runs of this many consecutive frames: a run is one forward ffmpeg pass, so decoding stays
    /// cheap; samples are then shuffled across <see cref="PoolSegments"/> runs from different episodes. Frames stored as
    /// images are shuffled row by row, one batch a pool.
    /// </summary>
    public int SegmentLength { get; init; } = 16;
    public int PoolSegments { get; init; } = 8;
    public SampleOptions Samples { get; init; } = new();
}
