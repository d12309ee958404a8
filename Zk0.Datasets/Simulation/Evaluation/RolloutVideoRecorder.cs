using System.Text.Json;
using Zk0.Datasets.Frames;
using Zk0.Datasets.Video;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// Records the first <c>episodes</c> closed-loop episodes as H.264 MP4s in one folder (<c>episode-K.mp4</c>, with
/// <c>episode-K.json</c> beside each): one camera's frame at the start and after every step, enlarged and overlaid with
/// step, action and outcome, then the last frame held for a second with the outcome. A video that cannot be encoded is
/// reported through <c>warn</c> and left out; the evaluation goes on.
/// </summary>
public sealed class RolloutVideoRecorder : IRolloutObserver, IDisposable
{
    public const int MinVideoWidth = 256;

    private readonly string _ffmpeg;
    private readonly string _directory;
    private readonly int _episodes;
    private readonly int _maxSteps;
    private readonly Action<string> _warn;
    private VideoEncoderProcess? _encoder;
    private string _camera = "";
    private int _factor;
    private float[] _lastAction = [];

    public RolloutVideoRecorder(string ffmpeg, string directory, int episodes, int maxSteps, Action<string> warn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(episodes, 1);
        (_ffmpeg, _directory, _episodes, _maxSteps, _warn) = (ffmpeg, directory, episodes, maxSteps, warn);
    }

    /// <summary>The ffmpeg to record with, or null and why not: videos need ffmpeg with the libx264 encoder.</summary>
    public static string? FindEncoder(out string? whyNot)
    {
        var ffmpeg = FfmpegTool.Find("ffmpeg");
        whyNot = ffmpeg is null ? "ffmpeg was not found on PATH (or $ZK0_FFMPEG)"
            : !FfmpegTool.HasEncoder("libx264") ? $"{ffmpeg} has no libx264 encoder" : null;
        return whyNot is null ? ffmpeg : null;
    }

    public static string VideoFileName(int episode) => $"episode-{episode}.mp4";

    public static string InfoFileName(int episode) => $"episode-{episode}.json";

    /// <summary>The camera a video shows: <c>top</c> when the policy sees it, else its first camera.</summary>
    public static string CameraOf(SimulatorOptions options) =>
        options.Cameras.Contains(SimCameras.Top) ? SimCameras.Top : options.Cameras[0];

    public void EpisodeStarted(int episode, int seed, ArmSimulator simulator)
    {
        if (episode >= _episodes) return;
        _camera = CameraOf(simulator.Options);
        _factor = FrameUpscaler.Factor(simulator.Options.ImageWidth, simulator.Options.ImageHeight, MinVideoWidth);
        _lastAction = simulator.State;
        var path = Path.Combine(_directory, VideoFileName(episode));
        try
        {
            _encoder = VideoEncoderProcess.Start(_ffmpeg, path, simulator.Options.ImageWidth * _factor, simulator.Options.ImageHeight * _factor,
                simulator.Options.Fps, "h264", gop: simulator.Options.Fps, crf: null);
        }
        catch (Exception error) when (error is DatasetException or IOException or System.ComponentModel.Win32Exception)
        {
            Abandon(episode, error);
            return;
        }
        Write(episode, simulator, RolloutOutcome.Running);
    }

    public void Stepped(int episode, ArmSimulator simulator, float[] action)
    {
        if (_encoder is null) return;
        _lastAction = action;
        Write(episode, simulator, RolloutOutcome.Running);
    }

    public void EpisodeEnded(ClosedLoopEpisode outcome, ArmSimulator simulator)
    {
        if (_encoder is not { } encoder) return;
        var result = outcome.Succeeded ? RolloutOutcome.Succeeded : RolloutOutcome.Failed;
        for (var i = 0; i < simulator.Options.Fps && _encoder is not null; i++) Write(outcome.Episode, simulator, result);
        if (_encoder is null) return;
        try
        {
            encoder.FinishAsync().GetAwaiter().GetResult();
        }
        catch (DatasetException error)
        {
            Abandon(outcome.Episode, error);
            return;
        }
        var info = new RolloutVideoInfo(simulator.Task.Name, outcome.Episode, outcome.Seed, outcome.Succeeded, outcome.Steps,
            outcome.Steps / (double)simulator.Options.Fps, _camera, simulator.Options.Fps, encoder.FramesWritten,
            simulator.Options.ImageWidth * _factor, simulator.Options.ImageHeight * _factor, VideoFileName(outcome.Episode));
        File.WriteAllText(Path.Combine(_directory, InfoFileName(outcome.Episode)), JsonSerializer.Serialize(info, RolloutVideoJson.Default.RolloutVideoInfo));
        encoder.Dispose();
        _encoder = null;
    }

    private void Write(int episode, ArmSimulator simulator, RolloutOutcome outcome)
    {
        var frame = RolloutOverlay.Draw(FrameUpscaler.Upscale(simulator.Render(_camera), _factor), simulator.StepIndex, _maxSteps, _lastAction, outcome);
        try
        {
            _encoder!.Write(frame);
        }
        catch (DatasetException error)
        {
            Abandon(episode, error);
        }
    }

    private void Abandon(int episode, Exception error)
    {
        _encoder?.Dispose();
        _encoder = null;
        var partial = Path.Combine(_directory, VideoFileName(episode));
        if (File.Exists(partial)) File.Delete(partial);
        _warn($"evaluation video of episode {episode} not written to {_directory}: {error.Message}");
    }

    public void Dispose()
    {
        _encoder?.Dispose();
        _encoder = null;
    }
}
