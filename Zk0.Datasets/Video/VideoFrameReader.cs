using System.Collections.Concurrent;
using System.Globalization;
using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Video;

/// <summary>
/// Reads video frames by timestamp through ffmpeg, with LeRobot's tolerance rule. Decoding processes are reused while
/// reads move forward (a window per process, never a process per frame) and recently decoded frames are cached.
/// Thread-safe.
/// </summary>
public sealed class VideoFrameReader : IDisposable
{
    private readonly string _ffmpeg, _ffprobe;
    private readonly ConcurrentDictionary<string, Lazy<VideoProbe>> _probes = new();
    private readonly List<DecodeStream> _streams = [];
    private readonly FrameCache _cache;
    private readonly int _maxStreams, _skipAhead;
    private readonly Lock _gate = new();
    private long _clock;

    public VideoFrameReader(string? ffmpegPath = null, int cachedFrames = 64, int maxStreams = 4, int skipAheadFrames = 90)
    {
        _ffmpeg = FfmpegTool.Require("ffmpeg", ffmpegPath);
        var ffprobe = ffmpegPath is null ? null : Path.Combine(Path.GetDirectoryName(ffmpegPath)!, "ffprobe");
        _ffprobe = FfmpegTool.Require("ffprobe", ffprobe is not null && File.Exists(ffprobe) ? ffprobe : null);
        _cache = new FrameCache(cachedFrames);
        _maxStreams = Math.Max(1, maxStreams);
        _skipAhead = skipAheadFrames;
    }

    public int ProcessesStarted { get; private set; }

    public VideoProbe Probe(string file) =>
        _probes.GetOrAdd(Path.GetFullPath(file), f => new Lazy<VideoProbe>(() => VideoProbe.Run(_ffprobe, f))).Value;

    /// <summary>The frames nearest to each timestamp; fails like LeRobot when one is further than <paramref name="toleranceS"/>.</summary>
    public RgbFrame[] ReadAt(string file, IReadOnlyList<double> timestamps, double toleranceS)
    {
        var probe = Probe(file);
        var numbers = new int[timestamps.Count];
        for (var i = 0; i < timestamps.Count; i++)
        {
            var n = probe.NearestFrame(timestamps[i]);
            var error = Math.Abs(probe.FrameTimes[n] - timestamps[i]);
            if (error > toleranceS)
                throw new DatasetException(string.Create(CultureInfo.InvariantCulture,
                    $"{file}: query timestamp {timestamps[i]:0.######} s violates the tolerance ({toleranceS} s): the nearest frame ({n}) is at {probe.FrameTimes[n]:0.######} s. The video and the parquet timestamps disagree; re-encode the video or raise tolerance_s."));
            numbers[i] = n;
        }
        return ReadFrameNumbers(probe, numbers);
    }

    public RgbFrame[] ReadFrameNumbers(string file, IReadOnlyList<int> numbers) => ReadFrameNumbers(Probe(file), numbers);

    private RgbFrame[] ReadFrameNumbers(VideoProbe probe, IReadOnlyList<int> numbers)
    {
        var result = new RgbFrame[numbers.Count];
        lock (_gate)
        {
            foreach (var i in Enumerable.Range(0, numbers.Count).OrderBy(i => numbers[i]))
            {
                var n = numbers[i];
                if (n < 0 || n >= probe.FrameCount) throw new DatasetException($"{probe.File} has {probe.FrameCount} frames; frame {n} does not exist.");
                result[i] = _cache.TryGet(probe.File, n) ?? Decode(probe, n);
            }
        }
        return result;
    }

    private RgbFrame Decode(VideoProbe probe, int n)
    {
        var stream = _streams.Where(s => s.File == probe.File && s.NextFrame <= n && n - s.NextFrame <= _skipAhead)
            .OrderBy(s => n - s.NextFrame).FirstOrDefault();
        if (stream is null)
        {
            if (_streams.Count >= _maxStreams)
            {
                var oldest = _streams.MinBy(s => s.LastUsed)!;
                oldest.Dispose();
                _streams.Remove(oldest);
            }
            stream = DecodeStream.Start(_ffmpeg, probe, n);
            ProcessesStarted++;
            _streams.Add(stream);
        }
        stream.LastUsed = ++_clock;
        while (true)
        {
            var number = stream.NextFrame;
            RgbFrame frame;
            try
            {
                frame = stream.ReadNext();
            }
            catch
            {
                stream.Dispose();
                _streams.Remove(stream);
                throw;
            }
            _cache.Add(probe.File, number, frame);
            if (number == n) return frame;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var stream in _streams) stream.Dispose();
            _streams.Clear();
        }
    }
}
