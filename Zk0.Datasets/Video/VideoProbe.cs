using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Zk0.Datasets.Video;

/// <summary>What ffprobe says about the first video stream of a file: size, codec and every frame's presentation time.</summary>
public sealed record VideoProbe(string File, int Width, int Height, string Codec, double Fps, double[] FrameTimes)
{
    public int FrameCount => FrameTimes.Length;

    /// <summary>Index of the frame whose pts is nearest to <paramref name="timestamp"/>.</summary>
    public int NearestFrame(double timestamp)
    {
        var i = Array.BinarySearch(FrameTimes, timestamp);
        if (i >= 0) return i;
        i = ~i;
        if (i == 0) return 0;
        if (i >= FrameTimes.Length) return FrameTimes.Length - 1;
        return timestamp - FrameTimes[i - 1] <= FrameTimes[i] - timestamp ? i - 1 : i;
    }

    public static VideoProbe Run(string ffprobe, string file)
    {
        if (!System.IO.File.Exists(file)) throw new DatasetException($"Video file {file} is missing.");
        var info = new ProcessStartInfo(ffprobe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,codec_name,avg_frame_rate,r_frame_rate:packet=pts_time", "-of", "json", file })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new DatasetException($"Could not start '{ffprobe}'.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new DatasetException($"ffprobe cannot read video {file}: {stderr.Result.Trim()}");
        var json = JsonNode.Parse(stdout) as JsonObject ?? throw new DatasetException($"ffprobe gave no answer for {file}.");
        var stream = (json["streams"] as JsonArray)?.FirstOrDefault() as JsonObject
            ?? throw new DatasetException($"{file} has no video stream.");
        var times = (json["packets"] as JsonArray ?? [])
            .Select(p => p?["pts_time"]?.ToString())
            .Where(t => t is not null && t != "N/A")
            .Select(t => double.Parse(t!, CultureInfo.InvariantCulture))
            .Order()
            .ToArray();
        if (times.Length == 0) throw new DatasetException($"{file} has a video stream without frames.");
        return new VideoProbe(file, stream["width"]!.GetValue<int>(), stream["height"]!.GetValue<int>(),
            stream["codec_name"]?.ToString() ?? "unknown", ParseRate(stream["avg_frame_rate"]?.ToString() ?? stream["r_frame_rate"]?.ToString()), times);
    }

    private static double ParseRate(string? rate)
    {
        if (rate is null) return 0;
        var parts = rate.Split('/');
        var num = double.Parse(parts[0], CultureInfo.InvariantCulture);
        var den = parts.Length > 1 ? double.Parse(parts[1], CultureInfo.InvariantCulture) : 1;
        return den == 0 ? 0 : num / den;
    }
}
