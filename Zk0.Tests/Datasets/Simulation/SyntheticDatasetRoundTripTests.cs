using Zk0.Datasets.Frames;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Simulation;
using Zk0.Datasets.Uris;
using Zk0.Datasets.Validation;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Datasets.Simulation;

/// <summary>Synthetic datasets read back through the project's own LeRobot reader and pass its validator.</summary>
[Collection(SynthCacheEnvironment.Name)]
public sealed class SyntheticDatasetRoundTripTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"zk0-synth-roundtrip-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task ImagesInParquetReadBackExactlyAsRecordedAndValidate()
    {
        var task = SimTaskCatalog.Get("purple-cube-to-left-bin");
        var options = new SyntheticDatasetOptions
        {
            Simulator = SimulatorOptions.Default with { ImageWidth = 48, ImageHeight = 36 },
            Writer = new LeRobotWriterOptions { Cameras = CameraEncoding.ParquetImages },
        };
        var root = await SyntheticDatasets.GenerateAsync(task, 2, seed: 42, Path.Combine(_dir, "png"), options);
        using var simulator = new ArmSimulator(task, options.Simulator);
        var second = DemonstrationRecorder.Record(simulator, SyntheticDatasets.EpisodeSeed(42, 1));

        var report = await DatasetValidator.ValidateAsync($"local:{root}");
        using var dataset = LeRobotDataset.Open($"local:{root}");

        Assert.True(report.IsValid, string.Join("\n", report.Problems));
        Assert.Equal(2, dataset.Episodes.Count);
        var episode = dataset.Episode(1);
        Assert.Equal(second.Frames.Count, episode.Length);
        Assert.Equal(task.Instruction, dataset.Task(episode.RowStart));
        foreach (var frame in new[] { 0, episode.Length / 2, episode.Length - 1 })
        {
            var row = episode.RowStart + frame;
            Assert.Equal(second.Frames[frame].State, dataset.Vector("observation.state", row));
            Assert.Equal(second.Frames[frame].Action, dataset.Vector("action", row));
            Assert.Equal(second.Frames[frame].Images["observation.images.wrist"].Pixels, dataset.ReadFrame("observation.images.wrist", row).Pixels);
        }
    }

    [Fact]
    public async Task VideoDatasetFromTheSynthUriValidatesAndDecodesCloseToTheRenderedFrames()
    {
        using var cache = new SynthCacheEnvironment(_dir);
        const string uri = "synth:blue-cube-to-far-bin?episodes=1&seed=5";

        var root = DatasetUri.Resolve(uri);
        var report = await DatasetValidator.ValidateAsync(uri);
        using var dataset = LeRobotDataset.Open(uri);

        Assert.StartsWith(_dir, root);
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
        Assert.Equal(root, dataset.Root);
        Assert.Equal(["observation.images.top", "observation.images.wrist"], dataset.Cameras.Select(c => c.Key).Order());
        using var simulator = new ArmSimulator(SimTaskCatalog.Get("blue-cube-to-far-bin"));
        var recorded = DemonstrationRecorder.Record(simulator, SyntheticDatasets.EpisodeSeed(5, 0));
        Assert.Equal(recorded.Frames.Count, dataset.FrameCount);
        var row = dataset.FrameCount / 2;
        var decoded = dataset.ReadFrame("observation.images.top", row);
        Assert.Equal((128, 96), (decoded.Width, decoded.Height));
        Assert.True(MeanAbsoluteDifference(recorded.Frames[row].Images["observation.images.top"], decoded) < 12,
            "the decoded video frame should look like the rendered one (lossy codec)");
    }

    private static double MeanAbsoluteDifference(RgbFrame a, RgbFrame b)
    {
        long sum = 0;
        for (var i = 0; i < a.Pixels.Length; i++) sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        return sum / (double)a.Pixels.Length;
    }
}
