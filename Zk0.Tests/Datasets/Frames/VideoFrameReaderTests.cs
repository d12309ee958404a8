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
    public async Task TargetedReadsWriteEverySlotIntoTheCallersMemoryAndLeaveTheCacheEmpty()
    {
        var video = await VideoAsync(CameraEncoding.H264, 12);
        using var reader = new VideoFrameReader();
        var asked = new List<(int Index, int Width, int Height)>();

        var held = new Slots(3);
        reader.ReadAt(video, [0.2, 0.0, 0.2], 1e-4, (i, width, height) => { asked.Add((i, width, height)); return held.Slot(i, width, height); });
        var later = new Slots(2);
        reader.ReadAt(video, [0.5, 0.9], 1e-4, later.Slot);
        var startedBeforeCachedRead = reader.ProcessesStarted;
        var cachedRead = reader.ReadAt(video, [0.2], 1e-4);

        Assert.Equal([(1, 64, 64), (0, 64, 64), (2, 64, 64)], asked);
        TestDatasets.AssertColour(held.Frame(0), 0, 2);
        TestDatasets.AssertColour(held.Frame(1), 0, 0);
        TestDatasets.AssertColour(held.Frame(2), 0, 2);
        TestDatasets.AssertColour(later.Frame(0), 0, 5);
        TestDatasets.AssertColour(later.Frame(1), 0, 9);
        Assert.Equal(1, startedBeforeCachedRead);
        TestDatasets.AssertColour(cachedRead[0], 0, 2);
        Assert.Equal(2, reader.ProcessesStarted);
    }

    [Fact]
    public async Task TargetedReadsKeepLeRobotsToleranceRuleAndRefuseASlotOfTheWrongSize()
    {
        var video = await VideoAsync(CameraEncoding.H264, 5);
        using var reader = new VideoFrameReader();
        var slots = new Slots(2);

        var error = Assert.Throws<DatasetException>(() => reader.ReadAt(video, [0.15], 1e-4, slots.Slot));
        reader.ReadAt(video, [0.1 + 5e-5, 0.15], 0.06, slots.Slot);
        var wrongSize = Assert.Throws<ArgumentException>(() => reader.ReadAt(video, [0.3], 1e-4, (_, _, _) => new byte[100]));

        Assert.Contains("tolerance", error.Message);
        TestDatasets.AssertColour(slots.Frame(0), 0, 1);
        TestDatasets.AssertColour(slots.Frame(1), 0, 1);
        Assert.Contains("needs 12288 bytes; the target has 100", wrongSize.Message);
        TestDatasets.AssertColour(reader.ReadAt(video, [0.3], 1e-4)[0], 0, 3);
    }

    /// <summary>One caller-owned array cut into frame slots, as a batch's image array is.</summary>
    private sealed class Slots(int count)
    {
        private byte[]? _data;
        private (int Width, int Height) _size;

        public Span<byte> Slot(int index, int width, int height)
        {
            _size = (width, height);
            _data ??= new byte[count * width * height * 3];
            return _data.AsSpan(index * width * height * 3, width * height * 3);
        }

        public RgbFrame Frame(int index) =>
            new(_size.Width, _size.Height, _data.AsSpan(index * _size.Width * _size.Height * 3, _size.Width * _size.Height * 3).ToArray());
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
