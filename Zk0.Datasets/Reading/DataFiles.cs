using Zk0.Datasets.Metadata;

namespace Zk0.Datasets.Reading;

/// <summary>
/// The data and video files a dataset's metadata points at, filled in from info.json's templates. Files are never
/// globbed: that is how the doubled rows of LeRobot issue #1875 got in.
/// </summary>
public static class DataFiles
{
    public static IReadOnlyList<string> DataFilePaths(DatasetMetadata metadata)
    {
        var info = metadata.Info;
        var paths = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var episode in metadata.Episodes)
        {
            var relative = PathTemplate.Format(info.DataPath, Placeholders(info, episode, episode.DataChunkIndex, episode.DataFileIndex, null));
            if (seen.Add(relative)) paths.Add(relative);
        }
        return paths;
    }

    /// <summary>The mp4 holding <paramref name="episode"/> for camera <paramref name="videoKey"/>, and where the episode starts in it.</summary>
    public static (string RelativePath, double FromTimestamp) VideoFile(DatasetMetadata metadata, EpisodeInfo episode, string videoKey)
    {
        var info = metadata.Info;
        if (info.VideoPath is null) throw new DatasetException($"{metadata.Root}: info.json has no video_path but '{videoKey}' is a video feature.");
        if (info.IsV3)
        {
            if (episode.Videos is null || !episode.Videos.TryGetValue(videoKey, out var location))
                throw new DatasetException($"{metadata.Root}: episode {episode.EpisodeIndex} has no videos/{videoKey}/* columns in meta/episodes.");
            return (PathTemplate.Format(info.VideoPath, Placeholders(info, episode, location.ChunkIndex, location.FileIndex, videoKey)), location.FromTimestamp);
        }
        return (PathTemplate.Format(info.VideoPath, Placeholders(info, episode, null, null, videoKey)), 0);
    }

    private static Dictionary<string, object> Placeholders(DatasetInfo info, EpisodeInfo episode, int? chunk, int? file, string? videoKey)
    {
        var episodeChunk = episode.EpisodeIndex / Math.Max(1, info.ChunksSize);
        var values = new Dictionary<string, object>
        {
            ["episode_index"] = episode.EpisodeIndex,
            ["episode_chunk"] = episodeChunk,
            // Some custom v2.1 datasets write {chunk_index} where LeRobot writes {episode_chunk}.
            ["chunk_index"] = chunk ?? episodeChunk,
        };
        if (file is not null) values["file_index"] = file;
        else if (info.IsV3) throw new DatasetException($"Episode {episode.EpisodeIndex} has no data/file_index in meta/episodes.");
        if (videoKey is not null) values["video_key"] = videoKey;
        return values;
    }
}
