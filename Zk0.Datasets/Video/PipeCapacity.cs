using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace Zk0.Datasets.Video;

/// <summary>
/// Grows a Linux pipe from its 64 KiB default so ffmpeg writes a whole raw frame in one call and can run a frame ahead of
/// its reader, instead of blocking (and switching context) a dozen times per 640×480 frame.
/// </summary>
public static class PipeCapacity
{
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(nint fd, int command, int argument);

    /// <summary>Asks for <paramref name="bytes"/> (capped by /proc/sys/fs/pipe-max-size); returns the size granted, or 0 if it could not.</summary>
    public static int TryGrow(Stream stream, int bytes)
    {
        if (!OperatingSystem.IsLinux() || stream is not PipeStream pipe) return 0;
        var size = Math.Min(bytes, MaxSize());
        try
        {
            var granted = Fcntl(pipe.SafePipeHandle.DangerousGetHandle(), SetPipeSize, size);
            return Math.Max(0, granted);
        }
        catch (EntryPointNotFoundException) { return 0; }
        catch (DllNotFoundException) { return 0; }
    }

    private static int MaxSize()
    {
        try { return int.Parse(File.ReadAllText("/proc/sys/fs/pipe-max-size").Trim(), System.Globalization.CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return 1 << 20; }
    }
}
