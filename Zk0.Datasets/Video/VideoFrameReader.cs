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
    /// The frames nearest to each timestamp; fails like LeRobot when one is further than <paramref name="toleranceS"/>.
    /// With a <paramref name="pool"/>, every frame returned is in its own array rented from it, which the caller owns and
    /// returns; such reads bypass the frame cache (the pool, not the cache, then recycles the memory).
    /// </summary>
    public RgbFrame[] ReadAt(string file, IReadOnlyList<double> timestamps, double toleranceS, VideoHint? hint = null, BufferPool<byte>? pool = null)
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
        return ReadFrameNumbers(probe, numbers, pool);
    }

    /// <summary>Frames by number; <paramref name="pool"/> as for <see cref="ReadAt"/>.</summary>
    public RgbFrame[] ReadFrameNumbers(string file, IReadOnlyList<int> numbers, BufferPool<byte>? pool = null) =>
        ReadFrameNumbers(Probe(file), numbers, pool);

    private RgbFrame[] ReadFrameNumbers(VideoProbe probe, IReadOnlyList<int> numbers, BufferPool<byte>? pool)
    {
        var result = new RgbFrame[numbers.Count];
        lock (_gate)
        {
            (int Number, RgbFrame Frame)? previous = null;
            foreach (var i in Enumerable.Range(0, numbers.Count).OrderBy(i => numbers[i]))
            {
                var n = numbers[i];
                if (n < 0 || n >= probe.FrameCount) throw new DatasetException($"{probe.File} has {probe.FrameCount} frames; frame {n} does not exist.");
                if (pool is null) result[i] = _cache.TryGet(probe.File, n) ?? Decode(probe, n, null);
                else
                {
                    // Each slot gets its own rented array, so the caller can return every frame once, whatever repeats.
                    var known = previous is { } p && p.Number == n ? p.Frame : _cache.TryGet(probe.File, n);
                    result[i] = known is null ? Decode(probe, n, pool) : CopyInto(pool, known);
                    previous = (n, result[i]);
                }
            }
        }
        return result;
    }

    private static RgbFrame CopyInto(BufferPool<byte> pool, RgbFrame frame)
    {
        var pixels = pool.Rent(frame.Pixels.Length);
        frame.Pixels.CopyTo(pixels, 0);
        return new RgbFrame(frame.Width, frame.Height, pixels);
    }

    /// <summary>
    /// Decodes forward to frame <paramref name="n"/>. Without a pool, every frame passed on the way is cached; with one, they
    /// are read into one scratch array and dropped, and frame n goes into a rented array that only the caller holds.
    /// </summary>
    private RgbFrame Decode(VideoProbe probe, int n, BufferPool<byte>? pool)
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
        byte[]? scratch = null;
        try
        {
            while (true)
            {
                var number = stream.NextFrame;
                byte[]? into = null;
                if (pool is not null) into = number == n ? pool.Rent(stream.FrameBytes) : scratch ??= pool.Rent(stream.FrameBytes);
                RgbFrame frame;
                try
                {
                    frame = stream.ReadNext(into);
                }
                catch
                {
                    if (into is not null && into != scratch) pool!.Return(into);
                    stream.Dispose();
                    _streams.Remove(stream);
                    throw;
                }
                if (pool is null) _cache.Add(probe.File, number, frame);
                if (number == n) return frame;
            }
        }
        finally
        {
            if (scratch is not null) pool!.Return(scratch);
        }
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
            if (_streams.Count >= _maxStreams)
            {
                var oldest = _streams.MinBy(s => s.LastUsed)!;
                oldest.Dispose();
                _streams.Remove(oldest);
            }
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
