namespace Zk0.Datasets.Writing;

/// <summary>How camera frames are stored.</summary>
public enum CameraEncoding
{
    /// <summary>AV1 when ffmpeg has libsvtav1, else H.264, else PNG images inside the parquet.</summary>
    Auto,
    Av1,
    H264,
    /// <summary>PNG bytes inside the data parquet (<c>dtype: image</c>); needs no ffmpeg.</summary>
    ParquetImages,
}

/// <summary>Which on-disk layout to write. v3.0 is what current LeRobot records; v2.x exist to exercise the reader.</summary>
public enum LayoutVersion
{
    V20,
    V21,
    V30,
}

public sealed record LeRobotWriterOptions
{
    public LayoutVersion Layout { get; init; } = LayoutVersion.V30;
    public CameraEncoding Cameras { get; init; } = CameraEncoding.Auto;
    /// <summary>Constant rate factor passed to the encoder (LeRobot uses 30 for AV1).</summary>
    public int? Crf { get; init; }
    /// <summary>Keyframe interval; LeRobot uses 2 so random access stays cheap.</summary>
    public int Gop { get; init; } = 2;
    /// <summary>v3.0: episodes packed into one data / video file before a new file starts.</summary>
    public int MaxEpisodesPerFile { get; init; } = 1000;
    /// <summary>v3.0: start a new data file past this size, as LeRobot's <c>data_files_size_in_mb</c>.</summary>
    public int DataFilesSizeInMb { get; init; } = 100;
    /// <summary>v3.0: start a new video file past this size, as LeRobot's <c>video_files_size_in_mb</c>.</summary>
    public int VideoFilesSizeInMb { get; init; } = 200;
    /// <summary>v3.0 tasks.parquet: <c>task</c> (recent LeRobot) or <c>__index_level_0__</c> (converter output).</summary>
    public string TasksColumnName { get; init; } = "task";
    /// <summary>Path to the ffmpeg executable; null looks it up on PATH.</summary>
    public string? FfmpegPath { get; init; }
}
