using System.Text.Json;
using Zk0.Datasets.Simulation;

namespace Zk0.Tests.Datasets.Simulation;

public sealed class RolloutVideoRecorderTests : IDisposable
{
    private static readonly SimulatorOptions Small = SimulatorOptions.Default with { ImageWidth = 32, ImageHeight = 24, Cameras = [SimCameras.Top] };
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-rollout-video-").FullName;
    private readonly List<string> _warnings = [];

    private static readonly SimPolicy HoldStill = (observation, _, _) => ValueTask.FromResult<IReadOnlyList<float[]>>([observation.State]);

    private static string Ffmpeg => RolloutVideoRecorder.FindEncoder(out var whyNot) ?? throw new InvalidOperationException($"These tests need ffmpeg with libx264: {whyNot}.");

    [Fact]
    public async Task A_short_rollout_writes_an_h264_mp4_of_every_step_and_its_json()
    {
        using var recorder = new RolloutVideoRecorder(Ffmpeg, _directory, episodes: 1, maxSteps: 10, _warnings.Add);

        var result = await ClosedLoopEvaluation.RunAsync(SimTaskCatalog.Default, HoldStill, episodes: 1, seed: 3, maxStepsPerEpisode: 10, options: Small, observer: recorder);

        var probe = VideoProbe.Read(Path.Combine(_directory, "episode-0.mp4"));
        var factor = FrameUpscaler.Factor(32, 24, RolloutVideoRecorder.MinVideoWidth);
        // The first frame, one per step, then a second of the last frame with the outcome.
        Assert.Equal(new VideoProbe("h264", 32 * factor, 24 * factor, 1 + 10 + Small.Fps), probe);
        var info = JsonSerializer.Deserialize<RolloutVideoInfo>(File.ReadAllText(Path.Combine(_directory, "episode-0.json")))!;
        Assert.Equal(SimTaskCatalog.Default.Name, info.Task);
        Assert.False(info.Success);
        Assert.Equal(10, info.Steps);
        Assert.Equal(10.0 / Small.Fps, info.DurationSeconds, 6);
        Assert.Equal(result.Episodes[0].Seed, info.Seed);
        Assert.Equal(("episode-0.mp4", SimCameras.Top, probe.Frames), (info.Video, info.Camera, info.Frames));
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task A_successful_episode_says_so_beside_its_video()
    {
        var task = SimTaskCatalog.Get("orange-cube-to-far-bin");
        var seed = SyntheticDatasets.EpisodeSeed(900, 0);
        Queue<float[]> actions;
        using (var simulator = new ArmSimulator(task, Small))
            actions = new Queue<float[]>(DemonstrationRecorder.Record(simulator, seed).Frames.Select(f => f.Action));
        SimPolicy replay = (observation, _, _) =>
            ValueTask.FromResult<IReadOnlyList<float[]>>([actions.Count > 0 ? actions.Dequeue() : observation.State]);
        using var recorder = new RolloutVideoRecorder(Ffmpeg, _directory, episodes: 1, maxSteps: 600, _warnings.Add);

        var result = await ClosedLoopEvaluation.RunAsync(task, replay, episodes: 1, seed: 900, options: Small, observer: recorder);

        var info = JsonSerializer.Deserialize<RolloutVideoInfo>(File.ReadAllText(Path.Combine(_directory, "episode-0.json")))!;
        Assert.True(result.Episodes[0].Succeeded);
        Assert.True(info.Success);
        Assert.Equal(result.Episodes[0].Steps, info.Steps);
        Assert.Equal(1 + info.Steps + Small.Fps, VideoProbe.Read(Path.Combine(_directory, "episode-0.mp4")).Frames);
    }

    [Fact]
    public async Task Only_the_first_episodes_asked_for_are_recorded()
    {
        using var recorder = new RolloutVideoRecorder(Ffmpeg, _directory, episodes: 1, maxSteps: 4, _warnings.Add);

        await ClosedLoopEvaluation.RunAsync(SimTaskCatalog.Default, HoldStill, episodes: 3, seed: 3, maxStepsPerEpisode: 4, options: Small, observer: recorder);

        Assert.Equal(["episode-0.json", "episode-0.mp4"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_encoder_that_fails_is_reported_leaves_no_video_and_the_evaluation_still_completes()
    {
        using var recorder = new RolloutVideoRecorder("/bin/false", _directory, episodes: 1, maxSteps: 200, _warnings.Add);

        var result = await ClosedLoopEvaluation.RunAsync(SimTaskCatalog.Default, HoldStill, episodes: 1, seed: 3, maxStepsPerEpisode: 200, options: Small, observer: recorder);

        Assert.Equal(200, result.Episodes[0].Steps);
        Assert.Contains(_warnings, w => w.Contains("episode 0", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(_directory, "episode-0.*"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
