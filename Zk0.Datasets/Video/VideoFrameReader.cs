using System.Collections.Concurrent;
using System.Globalization;
using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Video;

/// <summary>What the dataset expects of a video (from info.json), so decoding can start before ffprobe answers.</summary>
public sealed record VideoHint(int Width, int Height, double Fps);

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

    private bool IsProbed(string file) => _probes.TryGetValue(Path.GetFullPath(file), out var lazy) && lazy.IsValueCreated;

    /// <summary>
    /// The frames nearest to each timestamp, each in its own array and kept in a small cache (repeated reads are free);
    /// fails like LeRobot when one is further than <paramref name="toleranceS"/>.
    /// </summary>
    public RgbFrame[] ReadAt(string file, IReadOnlyList<double> timestamps, double toleranceS, VideoHint? hint = null)
    {
        var (probe, numbers) = Locate(file, timestamps, toleranceS, hint);
        var result = new RgbFrame[numbers.Length];
        lock (_gate)
            foreach (var i in InFileOrder(numbers))
                result[i] = _cache.TryGet(probe.File, numbers[i]) ?? DecodeCaching(probe, numbers[i]);
        return result;
    }

    /// <summary>
    /// As <see cref="ReadAt(string, IReadOnlyList{double}, double, VideoHint?)"/>, but frame i is written into
    /// <paramref name="target"/>(i, …) and nothing else keeps it: the frame cache is neither filled nor needed.
    /// </summary>
    public void ReadAt(string file, IReadOnlyList<double> timestamps, double toleranceS, FrameTarget target, VideoHint? hint = null)
    {
        var (probe, numbers) = Locate(file, timestamps, toleranceS, hint);
        lock (_gate)
        {
            var lastNumber = -1;
            var lastFrame = Span<byte>.Empty;
            foreach (var i in InFileOrder(numbers))
            {
                var n = numbers[i];
                var into = target(i, probe.Width, probe.Height);
                if (lastNumber == n) lastFrame.CopyTo(into);
                else if (_cache.TryGet(probe.File, n) is { } cached) cached.Pixels.CopyTo(into);
                else DecodeInto(probe, n, into);
                lastNumber = n;
                lastFrame = into;
            }
        }
    }

    private (VideoProbe Probe, int[] Numbers) Locate(string file, IReadOnlyList<double> timestamps, double toleranceS, VideoHint? hint)
    {
        var probe = hint is not null && timestamps.Count > 0 && !IsProbed(file) ? ProbeWhileStarting(file, timestamps.Min(), hint) : Probe(file);
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
        return (probe, numbers);
    }

    private static IEnumerable<int> InFileOrder(int[] numbers) => Enumerable.Range(0, numbers.Length).OrderBy(i => numbers[i]);

    /// <summary>Decodes forward to frame <paramref name="n"/>, caching every frame passed on the way.</summary>
    private RgbFrame DecodeCaching(VideoProbe probe, int n)
    {
        var stream = StreamBefore(probe, n);
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
                Drop(stream);
                throw;
            }
            _cache.Add(probe.File, number, frame);
            if (number == n) return frame;
        }
    }

    /// <summary>Decodes forward to frame <paramref name="n"/> and reads it into <paramref name="into"/>; frames passed on the way are dropped.</summary>
    private void DecodeInto(VideoProbe probe, int n, Span<byte> into)
    {
        var stream = StreamBefore(probe, n);
        try
        {
            while (stream.NextFrame < n) stream.Skip();
            stream.ReadNext(into);
        }
        catch
        {
            Drop(stream);
            throw;
        }
    }

    /// <summary>An open stream at or a little before frame <paramref name="n"/>, or a new one started there.</summary>
    private DecodeStream StreamBefore(VideoProbe probe, int n)
    {
        var stream = _streams.Where(s => s.File == probe.File && s.NextFrame <= n && n - s.NextFrame <= _skipAhead)
            .OrderBy(s => n - s.NextFrame).FirstOrDefault();
        if (stream is null)
        {
            if (_streams.Count >= _maxStreams) Drop(_streams.MinBy(s => s.LastUsed)!);
            stream = DecodeStream.Start(_ffmpeg, probe, n);
            ProcessesStarted++;
            _streams.Add(stream);
        }
        stream.LastUsed = ++_clock;
        return stream;
    }

    private void Drop(DecodeStream stream)
    {
        stream.Dispose();
        _streams.Remove(stream);
    }

    /// <summary>
    /// The first read of a file starts ffmpeg at the expected frame while ffprobe runs, hiding one process start-up. The stream
    /// is kept only if the probe confirms the frame size; its frame number comes from the probed frame times.
    /// </summary>
    private VideoProbe ProbeWhileStarting(string file, double firstTimestamp, VideoHint hint)
    {
        var probing = Task.Run(() => Probe(file));
        var seek = firstTimestamp * hint.Fps >= 0.5 ? DecodeStream.SeekText(firstTimestamp - 0.5 / hint.Fps) : null;
        DecodeStream? stream;
        lock (_gate)
        {
            stream = DecodeStream.Start(_ffmpeg, Path.GetFullPath(file), hint.Width, hint.Height, seek, 0);
            ProcessesStarted++;
        }
        VideoProbe probe;
        try
        {
            probe = probing.GetAwaiter().GetResult();
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        lock (_gate)
        {
            if (probe.Width != hint.Width || probe.Height != hint.Height)
            {
                stream.Dispose();
                return probe;
            }
            var seekSeconds = seek is null ? double.NegativeInfinity : double.Parse(seek, CultureInfo.InvariantCulture);
            stream.NextFrame = Array.FindIndex(probe.FrameTimes, t => t >= seekSeconds);
            if (stream.NextFrame < 0) { stream.Dispose(); return probe; }
            if (_streams.Count >= _maxStreams) Drop(_streams.MinBy(s => s.LastUsed)!);
            stream.LastUsed = ++_clock;
            _streams.Add(stream);
        }
        return probe;
    }

    /// <summary>Ends every ffmpeg process this reader has open and waits for them; later reads start new ones.</summary>
    public void CloseStreams()
    {
        lock (_gate)
        {
            foreach (var stream in _streams) stream.Dispose();
            _streams.Clear();
        }
    }

    public void Dispose() => CloseStreams();
}
