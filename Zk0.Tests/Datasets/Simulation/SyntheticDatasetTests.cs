using System.Diagnostics;
using System.Text.Json.Nodes;
using Zk0.Datasets;
using Zk0.Datasets.Simulation;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Datasets.Simulation;

public sealed class SyntheticDatasetTests : IDisposable
{
    private static readonly SyntheticDatasetOptions Small = new()
    {
        Simulator = SimulatorOptions.Default with { ImageWidth = 64, ImageHeight = 48 },
        Writer = new LeRobotWriterOptions { Cameras = CameraEncoding.ParquetImages },
    };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"zk0-synth-tests-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task GeneratedDatasetIsLeRobotV3WithTheTaskInstructionAndSo100Features()
    {
        var task = SimTaskCatalog.Get("yellow-cube-to-right-bin");
        var clock = Stopwatch.StartNew();

        var root = await SyntheticDatasets.GenerateAsync(task, episodes: 2, seed: 11, Path.Combine(_dir, "out"), Small);

        var info = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "meta", "info.json")))!;
        Assert.Equal("v3.0", (string?)info["codebase_version"]);
        Assert.Equal(2, (int)info["total_episodes"]!);
        Assert.Equal(30, (int)info["fps"]!);
        Assert.Equal("shoulder_pan.pos", (string?)info["features"]!["observation.state"]!["names"]![0]);
        Assert.NotNull(info["features"]!["observation.images.wrist"]);
        Assert.InRange((int)info["total_frames"]!, 2 * 60, 2 * 400);
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(root, "meta")), f => f.EndsWith("tasks.parquet", StringComparison.Ordinal));
        Console.WriteLine($"2 synthetic episodes written in {clock.Elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public async Task EnsureGeneratedReusesTheCachedDatasetAndLeavesNoStagingBehind()
    {
        var task = SimTaskCatalog.Default;

        var first = await SyntheticDatasets.EnsureGeneratedAsync(task, 1, 3, _dir, Small);
        var marker = Path.Combine(first, "marker-from-test");
        await File.WriteAllTextAsync(marker, "kept");
        var second = await SyntheticDatasets.EnsureGeneratedAsync(task, 1, 3, _dir, Small);
        var otherSeed = await SyntheticDatasets.EnsureGeneratedAsync(task, 1, 4, _dir, Small);

        Assert.Equal(first, second);
        Assert.True(File.Exists(marker), "the cached dataset must not be regenerated");
        Assert.NotEqual(first, otherSeed);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_dir), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public async Task InterruptedGenerationLeavesNoDatasetBehind()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            SyntheticDatasets.EnsureGeneratedAsync(SimTaskCatalog.Default, 2, 0, _dir, Small, cancel.Token));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public async Task GenerationThatFailsHalfWayLeavesNothingAtTheOutputPath()
    {
        var output = Path.Combine(_dir, "never");
        var impossible = Small with { MaxStepsPerEpisode = 10, MaxFailedDemonstrationsInARow = 2 };

        var error = await Assert.ThrowsAsync<DatasetException>(() => SyntheticDatasets.GenerateAsync(SimTaskCatalog.Default, 1, 0, output, impossible));

        Assert.Contains("failed task", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public async Task ByDefaultFramesAreImagesInsideTheParquetSoShuffledTrainingSeeksNoVideo()
    {
        var path = await SyntheticDatasets.GenerateAsync(SimTaskCatalog.Default, 1, 0, Path.Combine(_dir, "default"), SyntheticDatasetOptions.Default);

        Assert.False(Directory.Exists(Path.Combine(path, "videos")));
        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(path, "meta", "info.json")))!;
        Assert.Equal("image", info["features"]!["observation.images.top"]!["dtype"]!.GetValue<string>());
    }

    [Fact]
    public async Task OddImageSizesAreRefusedForVideoBeforeAnythingIsWritten()
    {
        var odd = new SyntheticDatasetOptions
        {
            Simulator = SimulatorOptions.Default with { ImageWidth = 65, ImageHeight = 48 },
            Writer = new LeRobotWriterOptions { Cameras = CameraEncoding.Auto },
        };

        var error = await Assert.ThrowsAsync<DatasetException>(() => SyntheticDatasets.GenerateAsync(SimTaskCatalog.Default, 1, 0, Path.Combine(_dir, "odd"), odd));

        Assert.Contains("65x48", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_dir, "odd")));
    }

    [Fact]
    public async Task ADirectoryInTheCacheThatIsNotAFinishedDatasetIsReportedNotOverwritten()
    {
        var task = SimTaskCatalog.Default;
        var path = await SyntheticDatasets.EnsureGeneratedAsync(task, 1, 5, _dir, Small);
        File.Delete(Path.Combine(path, "meta", "info.json"));

        var error = await Assert.ThrowsAsync<DatasetException>(() => SyntheticDatasets.EnsureGeneratedAsync(task, 1, 5, _dir, Small));

        Assert.Contains(path, error.Message);
        Assert.True(Directory.Exists(Path.Combine(path, "data")));
    }

    [Fact]
    public void DemonstrationsAreDeterministicPerSeedAndRecordStateBeforeAction()
    {
        using var simulator = new ArmSimulator(SimTaskCatalog.Default, Small.Simulator);

        var first = DemonstrationRecorder.Record(simulator, 21);
        var again = DemonstrationRecorder.Record(simulator, 21);
        var other = DemonstrationRecorder.Record(simulator, 22);

        Assert.True(first.Succeeded);
        Assert.Equal(first.Frames.Count, again.Frames.Count);
        for (var i = 0; i < first.Frames.Count; i++)
        {
            Assert.Equal(first.Frames[i].State, again.Frames[i].State);
            Assert.Equal(first.Frames[i].Action, again.Frames[i].Action);
            Assert.Equal(first.Frames[i].Images["observation.images.top"].Pixels, again.Frames[i].Images["observation.images.top"].Pixels);
        }
        Assert.NotEqual(first.Frames[0].State, other.Frames[0].State);
        // The state at step t+1 moved toward the action taken at t.
        var t = first.Frames.Count / 3;
        var pan = ArmJoints.ShoulderPan;
        Assert.True(Math.Abs(first.Frames[t + 1].State[pan] - first.Frames[t].Action[pan]) <= Math.Abs(first.Frames[t].State[pan] - first.Frames[t].Action[pan]) + 1e-3f);
    }

    [Fact]
    public void ARecoveryWobbleMovesTheArmOffTheExpertsPathWhileTheRecordedActionsStayItsTargets()
    {
        using var simulator = new ArmSimulator(SimTaskCatalog.Default, Small.Simulator);

        var plain = DemonstrationRecorder.Record(simulator, 21);
        var wobbled = DemonstrationRecorder.Record(simulator, 21, recoveryNoiseDegrees: 3);
        var again = DemonstrationRecorder.Record(simulator, 21, recoveryNoiseDegrees: 3);

        // Same scene and expert: the first target is the same; then the arm drifts, the states part, and the expert's
        // targets pull it back, so the recorded actions stay within a few wobbles of the plain ones while states differ.
        Assert.Equal(plain.Frames[0].Action, wobbled.Frames[0].Action);
        var steps = Math.Min(plain.Frames.Count, wobbled.Frames.Count);
        var stateGap = Enumerable.Range(0, steps).Max(t => Math.Abs(plain.Frames[t].State[ArmJoints.ShoulderPan] - wobbled.Frames[t].State[ArmJoints.ShoulderPan]));
        Assert.True(stateGap > 1f, $"the wobble moved the shoulder by at most {stateGap}°");
        Assert.All(Enumerable.Range(0, steps), t => Assert.Equal(plain.Frames[t].Action[ArmJoints.Gripper], wobbled.Frames[t].Action[ArmJoints.Gripper], 1e-3f));
        Assert.Equal(wobbled.Frames.Select(f => f.State), again.Frames.Select(f => f.State));
        Assert.True(wobbled.Succeeded);
    }
}
