using System.Text.Json.Nodes;
using Zk0.Datasets;
using Zk0.Datasets.Frames;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Validation;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Datasets.Writing;

public class LeRobotDatasetWriterTests
{
    [Fact]
    public async Task RefusesToWriteIntoADirectoryThatAlreadyHoldsFiles()
    {
        var root = TestDatasets.NewDirectory("occupied");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "keep.txt"), "precious");

        var error = Assert.Throws<DatasetException>(() => LeRobotDatasetWriter.Create(root, TestDatasets.Spec()));

        Assert.Contains("not empty", error.Message);
        Assert.Equal("precious", await File.ReadAllTextAsync(Path.Combine(root, "keep.txt")));
    }

    [Fact]
    public async Task AnEpisodeWithAWrongSizedFrameIsDroppedAndTheOthersStayValid()
    {
        var spec = TestDatasets.Spec();
        var root = TestDatasets.NewDirectory("bad-frame");
        await using (var writer = LeRobotDatasetWriter.Create(root, spec, new LeRobotWriterOptions { Cameras = CameraEncoding.H264 }))
        {
            await writer.AddEpisodeAsync("good", TestDatasets.Frames(spec, 0, 6));
            var broken = TestDatasets.Frames(spec, 1, 6).Select((f, i) => i == 3
                ? f with { Images = new Dictionary<string, RgbFrame> { [TestDatasets.Camera] = RgbFrame.Blank(32, 32) } } : f);
            var error = await Assert.ThrowsAsync<DatasetException>(() => writer.AddEpisodeAsync("broken", broken));
            Assert.Contains("32x32", error.Message);
            await writer.AddEpisodeAsync("good again", TestDatasets.Frames(spec, 2, 5));
            await writer.CompleteAsync();
        }

        var report = await DatasetValidator.ValidateAsync(root);
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
        using var dataset = LeRobotDataset.Open(root);
        Assert.Equal(2, dataset.Episodes.Count);
        Assert.Equal(["good", "good again"], dataset.Metadata.Tasks.Values.Order());
        TestDatasets.AssertColour(dataset.ReadFrame(TestDatasets.Camera, dataset.RowOf(1, 4)), 2, 4);
    }

    [Fact]
    public async Task WithoutFfmpegCamerasAreStoredAsPngImagesInsideTheParquet()
    {
        var root = await TestDatasets.WriteAsync("no-ffmpeg", new LeRobotWriterOptions { FfmpegPath = "/nonexistent/ffmpeg" }, [4]);

        var info = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "meta", "info.json")))!;
        Assert.Equal("image", info["features"]![TestDatasets.Camera]!["dtype"]!.ToString());
        Assert.Null(info["video_path"]);
        Assert.False(Directory.Exists(Path.Combine(root, "videos")));
        using var dataset = LeRobotDataset.Open(root);
        TestDatasets.AssertColour(dataset.ReadFrame(TestDatasets.Camera, 2), 0, 2, tolerance: 0.5);
    }

    [Fact]
    public void AskingForVideoWithoutFfmpegFailsWithAnInstruction()
    {
        var error = Assert.Throws<DatasetException>(() => LeRobotDatasetWriter.Create(TestDatasets.NewDirectory("need-ffmpeg"), TestDatasets.Spec(),
            new LeRobotWriterOptions { Cameras = CameraEncoding.H264, FfmpegPath = "/nonexistent/ffmpeg" }));
        Assert.Contains("apt-get install", error.Message);
    }

    [Fact]
    public async Task CamerasTooSmallForAv1FallBackToH264OrFailClearlyWhenAv1IsDemanded()
    {
        var spec = TestDatasets.Spec(width: 48, height: 32);

        Assert.Contains("64x64", Assert.Throws<DatasetException>(() =>
            LeRobotDatasetWriter.Create(TestDatasets.NewDirectory("small-av1"), spec, new LeRobotWriterOptions { Cameras = CameraEncoding.Av1 })).Message);
        await using var writer = LeRobotDatasetWriter.Create(TestDatasets.NewDirectory("small-auto"), spec);
        Assert.Equal(CameraEncoding.H264, writer.CameraEncoding);
    }

    [Fact]
    public async Task V3PacksEpisodesIntoFilesWithOneRowGroupPerEpisodeAndRestartsVideoOffsetsPerFile()
    {
        var root = await TestDatasets.WriteAsync("v3-files", new LeRobotWriterOptions { Cameras = CameraEncoding.H264, MaxEpisodesPerFile = 2 }, [7, 5, 6]);

        await using (var reader = await Parquet.ParquetReader.CreateAsync(Path.Combine(root, "data/chunk-000/file-000.parquet")))
            Assert.Equal(2, reader.RowGroupCount);
        Assert.True(File.Exists(Path.Combine(root, "data/chunk-000/file-001.parquet")));
        Assert.True(File.Exists(Path.Combine(root, $"videos/{TestDatasets.Camera}/chunk-000/file-001.mp4")));
        using var dataset = LeRobotDataset.Open(root);
        var episodes = dataset.Metadata.Episodes;
        Assert.Equal(0.7, episodes[1].Videos![TestDatasets.Camera].FromTimestamp, 9);
        Assert.Equal(0.0, episodes[2].Videos![TestDatasets.Camera].FromTimestamp, 9);
        Assert.Equal((1, 1), (episodes[2].Videos![TestDatasets.Camera].FileIndex, episodes[2].DataFileIndex));
        Assert.Equal((12L, 18L), (episodes[2].DatasetFromIndex!.Value, episodes[2].DatasetToIndex!.Value));
    }

    [Fact]
    public async Task StatsDescribeTheWrittenVectors()
    {
        var root = await TestDatasets.WriteAsync("stats", new LeRobotWriterOptions { Cameras = CameraEncoding.ParquetImages }, [5, 3]);

        using var dataset = LeRobotDataset.Open(root);
        var state = dataset.Metadata.Stats["observation.state"];
        // dim 1 holds the frame index: frames 0..4 and 0..2.
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 0, 1, 2 }.Average(), state.Mean[1], 6);
        Assert.Equal(4, state.Max[1]);
        Assert.Equal(8, state.Count);
        var expectedStd = Math.Sqrt(new[] { 0, 1, 2, 3, 4, 0, 1, 2 }.Select(v => Math.Pow(v - 1.625, 2)).Average());
        Assert.Equal(expectedStd, state.Std[1], 6);
        Assert.Equal(3, dataset.Metadata.Stats[TestDatasets.Camera].Mean.Length);
        Assert.Equal(2, dataset.Metadata.EpisodeStats.Count);
    }
}
