using Zk0.Datasets.Frames;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Datasets.Reading;

public class RoundTripTests
{
    public static TheoryData<LayoutVersion, CameraEncoding> Layouts => new()
    {
        { LayoutVersion.V30, CameraEncoding.H264 },
        { LayoutVersion.V30, CameraEncoding.Av1 },
        { LayoutVersion.V30, CameraEncoding.ParquetImages },
        { LayoutVersion.V21, CameraEncoding.H264 },
        { LayoutVersion.V21, CameraEncoding.ParquetImages },
        { LayoutVersion.V20, CameraEncoding.H264 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task WhatTheWriterWritesReadsBackWithTheSameVectorsTasksAndFrames(LayoutVersion layout, CameraEncoding cameras)
    {
        var root = await TestDatasets.WriteAsync($"roundtrip-{layout}-{cameras}", new LeRobotWriterOptions { Layout = layout, Cameras = cameras, MaxEpisodesPerFile = 2 }, [7, 5, 6]);

        using var dataset = await LeRobotDataset.OpenAsync(root);

        Assert.Equal(3, dataset.Episodes.Count);
        Assert.Equal(18, dataset.FrameCount);
        Assert.Empty(dataset.Warnings);
        Assert.Equal(layout == LayoutVersion.V30 ? 3 : 2, dataset.Info.Version.Major);
        var row = dataset.RowOf(1, 3);
        Assert.Equal(1f, dataset.Vector("observation.state", row)[0]);
        Assert.Equal(3f, dataset.Vector("observation.state", row)[1]);
        Assert.Equal(3.5f, dataset.Vector("action", row)[1]);
        Assert.Equal(0.3, dataset.Timestamp(row), 5);
        Assert.Equal("task 1", dataset.Task(row));
        Assert.Equal("task 0", dataset.Task(dataset.RowOf(2, 0)));
        var frames = dataset.ReadFrames(TestDatasets.Camera, [dataset.RowOf(0, 6), row, dataset.RowOf(2, 0), dataset.RowOf(2, 5), dataset.RowOf(0, 0)]);
        TestDatasets.AssertColour(frames[0], 0, 6);
        TestDatasets.AssertColour(frames[1], 1, 3);
        TestDatasets.AssertColour(frames[2], 2, 0);
        TestDatasets.AssertColour(frames[3], 2, 5);
        TestDatasets.AssertColour(frames[4], 0, 0);

        // Reads into the caller's memory (the loader's) find the same frames, v3.0 from_timestamp offsets and parquet images included.
        var targeted = new byte[4][];
        dataset.ReadFrames(TestDatasets.Camera, [dataset.RowOf(0, 6), row, dataset.RowOf(2, 0), dataset.RowOf(2, 0)],
            (i, width, height) => targeted[i] = new byte[width * height * 3]);
        TestDatasets.AssertColour(new RgbFrame(frames[0].Width, frames[0].Height, targeted[0]), 0, 6);
        TestDatasets.AssertColour(new RgbFrame(frames[0].Width, frames[0].Height, targeted[1]), 1, 3);
        TestDatasets.AssertColour(new RgbFrame(frames[0].Width, frames[0].Height, targeted[2]), 2, 0);
        TestDatasets.AssertColour(new RgbFrame(frames[0].Width, frames[0].Height, targeted[3]), 2, 0);
    }
}
