using System.Collections.Concurrent;
using System.Diagnostics;

namespace Zk0.Datasets.Video;

/// <summary>Finds the ffmpeg / ffprobe executables and asks them which codecs they have.</summary>
public static class FfmpegTool
{
    private static readonly ConcurrentDictionary<string, string> EncoderLists = new();

    public static string? Find(string name = "ffmpeg", string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return File.Exists(explicitPath) ? explicitPath : null;
        var fromEnv = Environment.GetEnvironmentVariable(name == "ffmpeg" ? "ZK0_FFMPEG" : "ZK0_FFPROBE");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv)) return fromEnv;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static string Require(string name = "ffmpeg", string? explicitPath = null) =>
        Find(name, explicitPath) ?? throw new DatasetException(
            $"'{name}' was not found on PATH; it is needed to encode/decode dataset videos. Install it (Debian: apt-get install -y ffmpeg) or set ZK0_{name.ToUpperInvariant()}.");

    public static bool HasEncoder(string encoder, string? ffmpegPath = null)
    {
        var ffmpeg = Find("ffmpeg", ffmpegPath);
        if (ffmpeg is null) return false;
        var list = EncoderLists.GetOrAdd(ffmpeg, static exe =>
        {
            var info = new ProcessStartInfo(exe, "-hide_banner -encoders") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return stdout.Result;
        });
        return list.Split('\n').Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == encoder);
    }
}
