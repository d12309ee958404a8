using System.Diagnostics;
using System.Text.Json;
using Zk0.Datasets.Video;

namespace Zk0.Tests.Datasets.Simulation;

/// <summary>What ffprobe reads from a video file: the first video stream's codec, size and decoded frame count.</summary>
public sealed record VideoProbe(string Codec, int Width, int Height, int Frames)
{
    public static VideoProbe Read(string path)
    {
        var info = new ProcessStartInfo(FfmpegTool.Find("ffprobe") ?? throw new InvalidOperationException("ffprobe is needed to read test videos."))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "json", path })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ffprobe could not read {path}: {stderr}");
        using var json = JsonDocument.Parse(stdout.Result);
        var stream = json.RootElement.GetProperty("streams")[0];
        return new VideoProbe(stream.GetProperty("codec_name").GetString()!, stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32(),
            int.Parse(stream.GetProperty("nb_read_frames").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }
}
