using Zk0.Datasets;
using Zk0.Datasets.Frames;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Samples;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Datasets.Samples;

public class BatchBuilderTests
{
    private static readonly Dictionary<string, NormalizationMode> Raw = new();

    private static async Task<LeRobotDataset> OpenAsync(CameraEncoding cameras = CameraEncoding.ParquetImages) =>
        await LeRobotDataset.OpenAsync(await TestDatasets.WriteAsync("samples", new LeRobotWriterOptions { Cameras = cameras }, [7, 5]));

    [Fact]
    public async Task ActionChunksRepeatTheLastFrameAndMarkPaddingNearTheEpisodeEnd()
    {
        using var dataset = await OpenAsync();
        var builder = new BatchBuilder(dataset, SampleOptions.ActionChunk(TestDatasets.Fps, 4) with { Normalization = Raw });

        var batch = builder.Build([dataset.RowOf(0, 5), dataset.RowOf(1, 0)]);

        var action = batch["action"];
        Assert.Equal([2, 4, 6], action.Shape);
        // dim 1 of action = frame index + 0.5
        float[] expected = [5.5f, 6.5f, 6.5f, 6.5f, 0.5f, 1.5f, 2.5f, 3.5f];
        Assert.Equal(expected, Enumerable.Range(0, 8).Select(i => action.Data[i * 6 + 1]));
        Assert.Equal([false, false, true, true, false, false, false, false], batch.Padding["action_is_pad"].Data);
        Assert.Equal([2, 6], batch["observation.state"].Shape);
        Assert.Equal(["task 0", "task 1"], batch.Tasks);
        Assert.Equal([0, 1], batch.EpisodeIndices);
        Assert.Equal([5, 0], batch.FrameIndices);
    }

    [Fact]
    public async Task ObservationHistoryClampsToTheEpisodeStartForVectorsAndImages()
    {
        using var dataset = await OpenAsync(CameraEncoding.H264);
        var builder = new BatchBuilder(dataset, SampleOptions.ActionChunk(TestDatasets.Fps, 1, observationSteps: 2, cameras: [TestDatasets.Camera]) with { Normalization = Raw });

        var batch = builder.Build([dataset.RowOf(1, 0), dataset.RowOf(1, 3)]);

        var state = batch["observation.state"];
        Assert.Equal([2, 2, 6], state.Shape);
        Assert.Equal([0f, 0f, 2f, 3f], new[] { state.Data[1], state.Data[7], state.Data[13], state.Data[19] });
        Assert.Equal([true, false, false, false], batch.Padding["observation.state_is_pad"].Data);
        var images = batch.Image(TestDatasets.Camera);
        Assert.Equal([2, 2, 64, 64, 3], images.Shape);
        var frameBytes = 64 * 64 * 3;
        byte[] Step(int sample, int step) => images.Data.AsSpan((sample * 2 + step) * frameBytes, frameBytes).ToArray();
        // Sample 0 sits at its episode's first frame, so its history step repeats frame 0; sample 1 is frames 2 and 3.
        Assert.Equal(dataset.ReadFrame(TestDatasets.Camera, dataset.RowOf(1, 0)).Pixels, Step(0, 0));
        Assert.Equal(dataset.ReadFrame(TestDatasets.Camera, dataset.RowOf(1, 0)).Pixels, Step(0, 1));
        Assert.Equal(dataset.ReadFrame(TestDatasets.Camera, dataset.RowOf(1, 2)).Pixels, Step(1, 0));
        Assert.Equal(dataset.ReadFrame(TestDatasets.Camera, dataset.RowOf(1, 3)).Pixels, Step(1, 1));
        var expected = TestDatasets.FrameColour(1, 2);
        Assert.InRange(Step(1, 0)[0], expected.R - 6, expected.R + 6);
        Assert.InRange(Step(1, 0)[1], expected.G - 6, expected.G + 6);
        Assert.InRange(Step(1, 0)[2], expected.B - 6, expected.B + 6);
    }

    [Fact]
    public async Task FramesOfSeveralBatchesGoIntoOneRentedArrayEachAndARowTwoBatchesShareIsInBoth()
    {
        using var dataset = await OpenAsync(CameraEncoding.H264);
        var builder = new BatchBuilder(dataset, SampleOptions.ActionChunk(TestDatasets.Fps, 1, observationSteps: 2, cameras: [TestDatasets.Camera]) with { Normalization = Raw });
        var pool = new BufferPool<byte>();
        int[][] batches = [[dataset.RowOf(1, 0), dataset.RowOf(1, 3)], [dataset.RowOf(1, 2), dataset.RowOf(0, 6)]];

        var frames = builder.ReadFrames(batches, pool);
        var batch = builder.Build(batches[1], frames[1], pool);
        var rentedWhileHeld = pool.RentedCount;
        batch.Dispose();

        var frameBytes = 64 * 64 * 3;
        byte[] Slot(int b, int slot) => frames[b][TestDatasets.Camera].Data.AsSpan(slot * frameBytes, frameBytes).ToArray();
        byte[] Frame(int episode, int index) => dataset.ReadFrame(TestDatasets.Camera, dataset.RowOf(episode, index)).Pixels;
        // Slots are (sample, history step): frame 2 of episode 1 is sample 1's history in batch 0 and sample 0 in batch 1.
        int[][] expected = [[0, 0, 2, 3], [1, 2, 5, 6]];
        int[][] episodes = [[1, 1, 1, 1], [1, 1, 0, 0]];
        for (var b = 0; b < 2; b++)
            for (var slot = 0; slot < 4; slot++) Assert.Equal(Frame(episodes[b][slot], expected[b][slot]), Slot(b, slot));
        Assert.Same(frames[1][TestDatasets.Camera].Data, batch.Image(TestDatasets.Camera).Data);
        Assert.Equal([2, 2, 64, 64, 3], batch.Image(TestDatasets.Camera).Shape);
        Assert.Equal(2, rentedWhileHeld);
        Assert.Equal(1, pool.RentedCount);
    }

    [Fact]
    public async Task AReadThatFailsPartWayGivesBackTheArraysItRented()
    {
        var root = await TestDatasets.WriteAsync("samples-missing-video", new LeRobotWriterOptions { Cameras = CameraEncoding.H264, Layout = LayoutVersion.V21 }, [7, 5]);
        using var dataset = await LeRobotDataset.OpenAsync(root);
        File.Delete(Directory.EnumerateFiles(Path.Combine(root, "videos"), "episode_000001.mp4", SearchOption.AllDirectories).Single());
        var builder = new BatchBuilder(dataset, new SampleOptions { Features = [TestDatasets.Camera] });
        var pool = new BufferPool<byte>();

        var error = Assert.Throws<DatasetException>(() => builder.ReadFrames([[dataset.RowOf(0, 1)], [dataset.RowOf(1, 1)]], pool));

        Assert.Contains("episode_000001.mp4", error.Message);
        Assert.Equal(0, pool.RentedCount);
        Assert.Equal(1, pool.RetainedCount);
    }

    [Fact]
    public async Task MeanStdNormalizationUsesTheDatasetStats()
    {
        using var dataset = await OpenAsync();
        var builder = new BatchBuilder(dataset, new SampleOptions { Features = ["observation.state"] });
        var stats = dataset.Metadata.Stats["observation.state"];

        var batch = builder.Build(dataset.RowOf(0, 4));

        Assert.Equal((4 - stats.Mean[1]) / (stats.Std[1] + 1e-8), batch["observation.state"].Data[1], 5);
        var values = batch["observation.state"].Data.ToArray();
        builder.Normalizer.Unnormalize("observation.state", values);
        Assert.Equal(4f, values[1], 4);
    }

    [Fact]
    public async Task DeltasThatAreNotMultiplesOfTheFramePeriodAreRejected()
    {
        using var dataset = await OpenAsync();
        var options = new SampleOptions { DeltaTimestamps = new Dictionary<string, double[]> { ["action"] = [0, 0.05] } };

        var error = Assert.Throws<DatasetException>(() => new BatchBuilder(dataset, options));
        Assert.Contains("multiple of 1/fps", error.Message);
    }
}
