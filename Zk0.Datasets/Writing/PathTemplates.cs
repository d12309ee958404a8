using Zk0.Datasets.Metadata;

namespace Zk0.Datasets.Writing;

/// <summary>The default LeRobot path templates and the v3.0 chunk/file counter.</summary>
public static class PathTemplates
{
    public const string V3DataPath = "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet";
    public const string V3VideoPath = "videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4";
    public const string V2DataPath = "data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet";
    public const string V2VideoPath = "videos/chunk-{episode_chunk:03d}/{video_key}/episode_{episode_index:06d}.mp4";
    public const int ChunksSize = 1000;

    public static string V3Data(int chunk, int file) => PathTemplate.Format(V3DataPath, new Dictionary<string, object> { ["chunk_index"] = chunk, ["file_index"] = file });
    public static string V3Video(string key, int chunk, int file) => PathTemplate.Format(V3VideoPath, new Dictionary<string, object> { ["video_key"] = key, ["chunk_index"] = chunk, ["file_index"] = file });
    public static string V2Data(int chunk, int episode) => PathTemplate.Format(V2DataPath, new Dictionary<string, object> { ["episode_chunk"] = chunk, ["episode_index"] = episode });
    public static string V2Video(string key, int chunk, int episode) => PathTemplate.Format(V2VideoPath, new Dictionary<string, object> { ["video_key"] = key, ["episode_chunk"] = chunk, ["episode_index"] = episode });

    public static (int Chunk, int File) NextFile(int chunk, int file) => file + 1 >= ChunksSize ? (chunk + 1, 0) : (chunk, file + 1);
}
