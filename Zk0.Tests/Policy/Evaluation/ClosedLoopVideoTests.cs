using Zk0.Datasets.Simulation;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Evaluation;
using Zk0.Tests.Datasets.Simulation;

namespace Zk0.Tests.Policy.Evaluation;

[Collection(SyntheticEvaluationCollection.Name)]
public sealed class ClosedLoopVideoTests(SyntheticEvaluationData data) : IDisposable
{
    private static readonly SyntheticDatasetUri Dataset = SyntheticDatasetUri.Parse(SyntheticEvaluationData.SynthUri);
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-closed-loop-videos-").FullName;
    private readonly List<string> _warnings = [];

    [Fact]
    public void Scoring_with_videos_records_the_first_episodes_of_each_task_in_the_round_folder()
    {
        var set = new HeldOutSets(data.Source).Get(SyntheticEvaluationData.SynthUri);
        using var still = new MeanActionPolicy(set.Features);
        var settings = new ClosedLoopSettings(Episodes: 2, MaxSteps: 6, VideoEpisodes: 1);
        var videos = new EvaluationVideos(RolloutVideoRecorder.FindEncoder(out _)!, Path.Combine(_directory, "round-3"), _warnings.Add);

        using (var recorder = videos.RecorderFor(Dataset, settings))
            ClosedLoopScoring.Run(still, Dataset, set.Normalization!, settings, evaluationSeed: 4, observer: recorder);

        var taskDirectory = Path.Combine(_directory, "round-3", Dataset.Task.Name);
        Assert.Equal(["episode-0.json", "episode-0.mp4"], Directory.GetFiles(taskDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("h264", VideoProbe.Read(Path.Combine(taskDirectory, "episode-0.mp4")).Codec);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void No_recorder_when_the_run_records_no_videos_or_no_closed_loop_episodes()
    {
        var videos = new EvaluationVideos("ffmpeg", _directory, _warnings.Add);

        Assert.Null(videos.RecorderFor(Dataset, new ClosedLoopSettings(2, 10, VideoEpisodes: 0)));
        Assert.Null(videos.RecorderFor(Dataset, new ClosedLoopSettings(0, 10, VideoEpisodes: 1)));
    }

    [Theory]
    [InlineData(null, null, 1)]
    [InlineData("0", null, 0)]
    [InlineData("3", "2", 2)]
    [InlineData(null, "0", 0)]
    public void Eval_videos_defaults_to_one_episode_and_never_exceeds_eval_episodes(string? videos, string? episodes, int recorded)
    {
        var config = new Dictionary<string, string>();
        if (videos is not null) config[RunSettings.EvalVideosKey] = videos;
        if (episodes is not null) config[RunSettings.EvalEpisodesKey] = episodes;

        Assert.Equal(recorded, RunSettings.From(config).ClosedLoop.RecordedEpisodes);
    }

    [Fact]
    public void Eval_videos_is_a_known_run_config_key()
    {
        Assert.Null(RunConfigCatalog.FindUnknownKey([RunSettings.EvalVideosKey]));
    }

    [Fact]
    public void A_negative_eval_videos_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => RunSettings.From(new Dictionary<string, string> { [RunSettings.EvalVideosKey] = "-1" }));

        Assert.Contains(RunSettings.EvalVideosKey, error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
