using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Zk0.Datasets.Simulation;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Evaluation;

namespace Zk0.Evaluator.Evaluations;

/// <summary>
/// The Evaluator's evaluation videos: <c>WorkDirectory/videos/{runId}/round-N/{task}/episode-K.mp4</c> and the
/// <c>episode-K.json</c> written once the video is complete. Without an ffmpeg that has libx264 no videos are recorded,
/// and the Evaluator says so once.
/// </summary>
public sealed partial class EvaluationVideoStore(IOptions<EvaluatorOptions> options, ILogger<EvaluationVideoStore> logger)
{
    private readonly Lazy<(string? Ffmpeg, string? WhyNot)> _encoder = new(() => (RolloutVideoRecorder.FindEncoder(out var whyNot), whyNot));
    private int _warnedMissing;

    public string Root => Path.Combine(options.Value.WorkDirectory, "videos");

    /// <summary>Where the run's round records its videos, or null when the run asks for none or they cannot be encoded.</summary>
    public EvaluationVideos? ForRound(string runId, int round, RunSettings settings)
    {
        if (!settings.ClosedLoop.Enabled || settings.ClosedLoop.RecordedEpisodes == 0 || !IsPlainName(runId)) return null;
        var (ffmpeg, whyNot) = _encoder.Value;
        if (ffmpeg is null)
        {
            if (Interlocked.Exchange(ref _warnedMissing, 1) == 0) LogNoEncoder(whyNot!, RunSettings.EvalVideosKey);
            return null;
        }
        var directory = RoundDirectory(runId, round);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        return new EvaluationVideos(ffmpeg, directory, message => LogVideoNotWritten(runId, round, message));
    }

    /// <summary>The run's complete videos (of one round, or of all), by round, task and episode.</summary>
    public IReadOnlyList<EvaluationVideo> List(string runId, int? round)
    {
        if (!IsPlainName(runId)) return [];
        var runDirectory = Path.Combine(Root, runId);
        if (!Directory.Exists(runDirectory)) return [];
        var rounds = round is { } r ? [RoundDirectory(runId, r)] : Directory.EnumerateDirectories(runDirectory, "round-*");
        var videos = new List<EvaluationVideo>();
        foreach (var roundDirectory in rounds.Where(Directory.Exists))
        {
            if (!int.TryParse(Path.GetFileName(roundDirectory)["round-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var number)) continue;
            foreach (var infoPath in Directory.EnumerateFiles(roundDirectory, "episode-*.json", SearchOption.AllDirectories))
            {
                var info = JsonSerializer.Deserialize(File.ReadAllText(infoPath), RolloutVideoJson.Default.RolloutVideoInfo);
                if (info is null || !File.Exists(Path.Combine(Path.GetDirectoryName(infoPath)!, info.Video))) continue;
                videos.Add(new EvaluationVideo(number, Path.GetFileName(Path.GetDirectoryName(infoPath)!), info.Episode, info.Video,
                    Path.GetFileName(infoPath), info.Success, info.Steps, info.DurationSeconds));
            }
        }
        return videos.OrderBy(v => v.Round).ThenBy(v => v.Task, StringComparer.Ordinal).ThenBy(v => v.Episode).ToList();
    }

    /// <summary>The path of one listed file, or null when there is no such file (or a name tries to leave the folder).</summary>
    public string? FilePath(string runId, int round, string task, string file)
    {
        if (!IsPlainName(runId) || !IsPlainName(task) || !IsPlainName(file)) return null;
        if (!file.StartsWith("episode-", StringComparison.Ordinal) || !(file.EndsWith(".mp4", StringComparison.Ordinal) || file.EndsWith(".json", StringComparison.Ordinal)))
            return null;
        var path = Path.Combine(RoundDirectory(runId, round), task, file);
        return File.Exists(path) ? path : null;
    }

    private string RoundDirectory(string runId, int round) =>
        Path.Combine(Root, runId, "round-" + round.ToString(CultureInfo.InvariantCulture));

    private static bool IsPlainName(string name) =>
        name.Length > 0 && name != "." && name != ".." && name.IndexOfAny(['/', '\\']) < 0 && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0;

    [LoggerMessage(LogLevel.Warning, "Evaluation videos are off: {Reason}. Install ffmpeg with libx264 to record them, or set {Key}=0 to say so")]
    private partial void LogNoEncoder(string reason, string key);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} round {Round}: {Message}")]
    private partial void LogVideoNotWritten(string runId, int round, string message);
}
