using System.Diagnostics;
using System.Globalization;
using System.Text;
using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Video;

/// <summary>One ffmpeg process that receives raw RGB frames on stdin and writes one mp4.</summary>
internal sealed class VideoEncoderProcess : IDisposable
{
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrPump;
    private readonly int _width, _height;

    public string OutputPath { get; }
    public int FramesWritten { get; private set; }

    private VideoEncoderProcess(Process process, string outputPath, int width, int height)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        OutputPath = outputPath;
        _width = width;
        _height = height;
        _stderrPump = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = await process.StandardError.ReadAsync(buffer)) > 0)
                lock (_stderr) _stderr.Append(buffer, 0, read);
        });
    }

    public static VideoEncoderProcess Start(string ffmpeg, string outputPath, int width, int height, int fps, string codec, int gop, int? crf)
    {
        if (width % 2 != 0 || height % 2 != 0)
            throw new DatasetException($"Camera frames of {width}x{height} cannot be encoded as yuv420p video: width and height must be even.");
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        var (encoder, defaultCrf, extra) = codec switch
        {
            "av1" => ("libsvtav1", 30, new[] { "-preset", "10" }),
            "h264" => ("libx264", 23, new[] { "-preset", "veryfast" }),
            _ => throw new DatasetException($"Unsupported video codec '{codec}'; use av1 or h264."),
        };
        var info = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = false, UseShellExecute = false,
        };
        string[] args =
        [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{width}x{height}", "-framerate", fps.ToString(CultureInfo.InvariantCulture), "-i", "pipe:0",
            "-c:v", encoder, .. extra, "-g", gop.ToString(CultureInfo.InvariantCulture), "-crf", (crf ?? defaultCrf).ToString(CultureInfo.InvariantCulture),
            "-pix_fmt", "yuv420p", "-an", outputPath,
        ];
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new DatasetException($"Could not start '{ffmpeg}' to encode {outputPath}.");
        return new VideoEncoderProcess(process, outputPath, width, height);
    }

    public void Write(RgbFrame frame)
    {
        if (frame.Width != _width || frame.Height != _height)
            throw new DatasetException($"Frame of {frame.Width}x{frame.Height} does not match the {_width}x{_height} video {OutputPath}.");
        try
        {
            _stdin.Write(frame.Pixels);
        }
        catch (IOException e)
        {
            _process.WaitForExit();
            throw new DatasetException($"ffmpeg stopped while encoding {OutputPath}: {Stderr()}", e);
        }
        FramesWritten++;
    }

    public async Task FinishAsync(CancellationToken cancellationToken = default)
    {
        _stdin.Close();
        await _process.WaitForExitAsync(cancellationToken);
        await _stderrPump;
        if (_process.ExitCode != 0)
            throw new DatasetException($"ffmpeg failed (exit {_process.ExitCode}) while encoding {OutputPath}: {Stderr()}");
    }

    private string Stderr() { lock (_stderr) return _stderr.ToString().Trim(); }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(); } catch (InvalidOperationException) { }
        }
        _process.Dispose();
    }
}
