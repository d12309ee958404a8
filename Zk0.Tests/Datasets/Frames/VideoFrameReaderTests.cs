using Zk0.Datasets;
using Zk0.Datasets.Frames;
using Zk0.Datasets.Video;
using Zk0.Datasets.Writing;

namespace Zk0.Tests.Datasets.Frames;

public class VideoFrameReaderTests
{
    private static async Task<string> VideoAsync(CameraEncoding codec, int frames)
    {
        var root = await TestDatasets.WriteAsync($"video-{codec}", new LeRobotWriterOptions { Cameras = codec }, [frames]);
        return Directory.EnumerateFiles(Path.Combine(root, "videos"), "*.mp4", SearchOption.AllDirectories).Single();
    }

    [Theory]
    [InlineData(CameraEncoding.H264)]
    [InlineData(CameraEncoding.Av1)]
    public async Task SequentialReadsShareOneDecodingProcess(CameraEncoding codec)
    {
        var video = await VideoAsync(codec, 20);
        using var reader = new VideoFrameReader();

        for (var i = 0; i < 20; i += 4)
        {
            var frames = reader.ReadAt(video, Enumerable.Range(i, 4).Select(n => n / 10.0).ToList(), 1e-4);
            for (var k = 0; k < 4; k++) TestDatasets.AssertColour(frames[k], 0, i + k);
        }

        Assert.Equal(1, reader.ProcessesStarted);
        Assert.Contains(reader.Probe(video).Codec, new[] { "h264", "av1" });
    }

    [Fact]
    public async Task AJumpBackwardSeeksWithANewWindowAndRepeatsComeFromTheCache()
    {
        var video = await VideoAsync(CameraEncoding.H264, 30);
        using var reader = new VideoFrameReader(cachedFrames: 8);

        TestDatasets.AssertColour(reader.ReadAt(video, [2.5], 1e-4)[0], 0, 25);
        TestDatasets.AssertColour(reader.ReadAt(video, [0.3], 1e-4)[0], 0, 3);
        TestDatasets.AssertColour(reader.ReadAt(video, [0.3, 0.3], 1e-4)[1], 0, 3);

        Assert.Equal(2, reader.ProcessesStarted);
    }

    [Fact]
    public async Task TimestampsBetweenFramesViolateTheToleranceLikeLeRobot()
    {
        var video = await VideoAsync(CameraEncoding.H264, 5);
        using var reader = new VideoFrameReader();

        var error = Assert.Throws<DatasetException>(() => reader.ReadAt(video, [0.15], 1e-4));
        Assert.Contains("tolerance", error.Message);
        TestDatasets.AssertColour(reader.ReadAt(video, [0.1 + 5e-5], 1e-4)[0], 0, 1);
        TestDatasets.AssertColour(reader.ReadAt(video, [0.15], 0.06)[0], 0, 1);
    }

    [Fact]
    public void PngBytesRoundTripExactly()
    {
        var frame = new RgbFrame(3, 2, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);

        var decoded = ImageCodec.Decode(ImageCodec.EncodePng(frame), "test");

        Assert.Equal(frame.Pixels, decoded.Pixels);
        Assert.Throws<DatasetException>(() => ImageCodec.Decode([1, 2, 3], "garbage"));
        Assert.Throws<ArgumentException>(() => new RgbFrame(2, 2, new byte[5]));
    }
}
