using Zk0.Datasets.Metadata;
using Zk0.Datasets.Video;

namespace Zk0.Datasets.Reading;

public sealed record FeatureSummary(string Key, string DType, int[] Shape, IReadOnlyList<string> Names);

public sealed record CameraSummary(string Key, string Storage, string? Codec, int Width, int Height);

/// <summary>What <c>zk0 dataset info</c> shows: read from meta/ only (plus one ffprobe when info.json lacks a codec).</summary>
public sealed record DatasetSummary(
    string Root, string CodebaseVersion, string? RobotType, double Fps, int Episodes, long Frames, int Tasks,
    IReadOnlyList<string> TaskNames, IReadOnlyList<FeatureSummary> Features, IReadOnlyList<CameraSummary> Cameras)
{
    public static DatasetSummary From(DatasetMetadata metadata)
    {
        var info = metadata.Info;
        var cameras = info.Cameras.Select(camera =>
        {
            var (height, width) = camera.ImageSize;
            var codec = camera.Video?.Codec;
            if (camera.IsVideo && codec is null && metadata.Episodes.Count > 0 && FfmpegTool.Find("ffprobe") is { } ffprobe)
            {
                try
                {
                    var (relative, _) = DataFiles.VideoFile(metadata, metadata.Episodes[0], camera.Key);
                    var probe = VideoProbe.Run(ffprobe, Path.Combine(metadata.Root, relative));
                    (codec, width, height) = (probe.Codec, probe.Width, probe.Height);
                }
                catch (DatasetException) { }
            }
            return new CameraSummary(camera.Key, camera.DType, camera.IsImage ? "png/jpeg in parquet" : codec, width, height);
        }).ToList();
        return new DatasetSummary(metadata.Root, info.CodebaseVersion, info.RobotType, info.Fps, metadata.Episodes.Count,
            metadata.Episodes.Sum(e => (long)e.Length), metadata.Tasks.Count, metadata.Tasks.OrderBy(t => t.Key).Select(t => t.Value).ToList(),
            info.Features.Select(f => new FeatureSummary(f.Key, f.DType, f.Shape, f.Names)).ToList(), cameras);
    }
}
