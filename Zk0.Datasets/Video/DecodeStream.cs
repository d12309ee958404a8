using System.Diagnostics;
using System.Globalization;
using System.Text;
using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Video;

/// <summary>
/// One ffmpeg process decoding a video forward from a given frame to raw RGB on stdout. The pipe's back-pressure keeps it
/// at most a frame or two ahead, so a stream is a window that grows only as far as it is read.
/// </summary>
internal sealed class DecodeStream : IDisposable
{
    private readonly Process _process;
    private readonly Stream _stdout;
    private readonly StringBuilder _stderr = new();
    private readonly int _width, _height;
    private byte[]? _passing;

    public int NextFrame { get; set; }
    public long LastUsed { get; set; }
    public string File { get; }
    public int Width => _width;
    public int Height => _height;

    private DecodeStream(Process process, string file, int width, int height, int startFrame)
    {
        _process = process;
        _stdout = process.StandardOutput.BaseStream;
        PipeCapacity.TryGrow(_stdout, Math.Max(1 << 20, width * height * 3));
        File = file;
        (_width, _height) = (width, height);
        NextFrame = startFrame;
        _ = Task.Run(async () =>
        {
            var buffer = new char[1024];
            int read;
            while ((read = await process.StandardError.ReadAsync(buffer)) > 0)
                lock (_stderr) if (_stderr.Length < 8192) _stderr.Append(buffer, 0, read);
        });
    }

    /// <summary>Starts at <paramref name="startFrame"/> of a probed video.</summary>
    public static DecodeStream Start(string ffmpeg, VideoProbe probe, int startFrame)
    {
        // Input seeking is accurate: frames before the seek point are decoded and dropped. Seek half a frame early so the
        // first frame out is exactly startFrame whatever the rounding of its pts.
        var seek = startFrame > 0 ? SeekText(probe.FrameTimes[startFrame] - 0.5 * (probe.FrameTimes[startFrame] - probe.FrameTimes[startFrame - 1])) : null;
        return Start(ffmpeg, probe.File, probe.Width, probe.Height, seek, startFrame);
    }

    /// <summary>Starts at a seek time before the video is probed; the caller sets <see cref="NextFrame"/> once it knows the frame times.</summary>
    public static DecodeStream Start(string ffmpeg, string file, int width, int height, string? seek, int startFrame)
    {
        var info = new ProcessStartInfo(ffmpeg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var args = new List<string> { "-hide_banner", "-loglevel", "error", "-nostdin" };
        if (seek is not null) args.AddRange(["-ss", seek]);
        args.AddRange(["-i", file, "-map", "0:v:0", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new DatasetException($"Could not start '{ffmpeg}' to decode {file}.");
        return new DecodeStream(process, file, width, height, startFrame);
    }

    public static string SeekText(double seconds) => Math.Max(0, seconds).ToString("0.######", CultureInfo.InvariantCulture);

    public int FrameBytes => _width * _height * 3;

    /// <summary>The next frame, in a new array.</summary>
    public RgbFrame ReadNext()
    {
        var pixels = GC.AllocateUninitializedArray<byte>(FrameBytes);
        ReadNext(pixels);
        return new RgbFrame(_width, _height, pixels);
    }

    /// <summary>The next frame, into <paramref name="into"/> (exactly <see cref="FrameBytes"/> long).</summary>
    public void ReadNext(Span<byte> into)
    {
        if (into.Length != FrameBytes)
            throw new ArgumentException($"A {_width}x{_height} frame of {File} needs {FrameBytes} bytes; the target has {into.Length}.", nameof(into));
        try
        {
            _stdout.ReadExactly(into);
        }
        catch (EndOfStreamException e)
        {
            _process.WaitForExit(2000);
            string error;
            lock (_stderr) error = _stderr.ToString().Trim();
            throw new DatasetException($"ffmpeg stopped decoding {File} before frame {NextFrame}" +
                (error.Length > 0 ? $": {error}" : "."), e);
        }
        NextFrame++;
    }

    /// <summary>Reads past the next frame, into memory this stream keeps for passing frames.</summary>
    public void Skip() => ReadNext(_passing ??= GC.AllocateUninitializedArray<byte>(FrameBytes));

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(2000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
