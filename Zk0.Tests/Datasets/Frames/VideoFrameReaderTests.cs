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
    public async Task WithAHintDecodingStartsAlongsideTheProbeAndAWrongHintIsHarmless()
    {
        var video = await VideoAsync(CameraEncoding.H264, 12);
        using var hinted = new VideoFrameReader();
        using var wrongHint = new VideoFrameReader();

        var frames = hinted.ReadAt(video, [0.3, 0.4, 0.5], 1e-4, new VideoHint(64, 64, 10));
        var later = hinted.ReadAt(video, [0.9], 1e-4, new VideoHint(64, 64, 10));
        var fromWrongHint = wrongHint.ReadAt(video, [0.3], 1e-4, new VideoHint(32, 48, 10));

        for (var k = 0; k < 3; k++) TestDatasets.AssertColour(frames[k], 0, 3 + k);
        TestDatasets.AssertColour(later[0], 0, 9);
        TestDatasets.AssertColour(fromWrongHint[0], 0, 3);
        Assert.Equal(1, hinted.ProcessesStarted);
        Assert.Equal(2, wrongHint.ProcessesStarted);
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
    public async Task PooledReadsGiveEverySlotItsOwnArrayAndFramesTheCallerHoldsAreNeverOverwritten()
    {
        var video = await VideoAsync(CameraEncoding.H264, 12);
        using var reader = new VideoFrameReader();
        var pool = new BufferPool<byte>();

        var held = reader.ReadAt(video, [0.0, 0.2, 0.2], 1e-4, pool: pool);
        var later = reader.ReadAt(video, [0.5, 0.9], 1e-4, pool: pool);
        TestDatasets.AssertColour(later[0], 0, 5);
        TestDatasets.AssertColour(later[1], 0, 9);
        foreach (var frame in later) pool.Return(frame.Pixels);
        var afterReturn = reader.ReadAt(video, [1.0, 1.1], 1e-4, pool: pool);

        Assert.Equal(3, held.Select(f => f.Pixels).Distinct(ReferenceEqualityComparer.Instance).Count());
        TestDatasets.AssertColour(held[0], 0, 0);
        TestDatasets.AssertColour(held[1], 0, 2);
        TestDatasets.AssertColour(held[2], 0, 2);
        TestDatasets.AssertColour(afterReturn[0], 0, 10);
        TestDatasets.AssertColour(afterReturn[1], 0, 11);
        Assert.All(afterReturn, f => Assert.Contains(f.Pixels, later.Select(l => l.Pixels)));
        Assert.Equal(5, pool.RentedCount);
        Assert.Equal(1, reader.ProcessesStarted);
    }

    [Fact]
    public async Task PooledReadsKeepLeRobotsToleranceRule()
    {
        var video = await VideoAsync(CameraEncoding.H264, 5);
        using var reader = new VideoFrameReader();
        var pool = new BufferPool<byte>();

        var error = Assert.Throws<DatasetException>(() => reader.ReadAt(video, [0.15], 1e-4, pool: pool));
        var withinTolerance = reader.ReadAt(video, [0.1 + 5e-5, 0.15], 0.06, pool: pool);

        Assert.Contains("tolerance", error.Message);
        TestDatasets.AssertColour(withinTolerance[0], 0, 1);
        TestDatasets.AssertColour(withinTolerance[1], 0, 1);
        Assert.NotSame(withinTolerance[0].Pixels, withinTolerance[1].Pixels);
        Assert.Equal(2, pool.RentedCount);
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
