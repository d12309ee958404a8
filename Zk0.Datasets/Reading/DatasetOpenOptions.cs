namespace Zk0.Datasets.Reading;

public sealed record DatasetOpenOptions
{
    /// <summary>Largest allowed gap between a query timestamp and the frame returned (LeRobot's default 1e-4 s).</summary>
    public double ToleranceS { get; init; } = 1e-4;
    public string? FfmpegPath { get; init; }
    /// <summary>Decoded video frames kept for reuse (observation history, clamped padding).</summary>
    public int CachedVideoFrames { get; init; } = 64;
    /// <summary>ffmpeg decoding processes kept open at once.</summary>
    public int MaxDecodeProcesses { get; init; } = 4;
}
