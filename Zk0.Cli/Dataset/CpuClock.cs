using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Zk0.Cli.Dataset;

/// <summary>
/// CPU seconds used by this process plus its finished child processes (ffmpeg, ffprobe). Frames per CPU-second compare
/// fairly on a shared, overloaded machine where wall-clock rates mostly measure the queue for a core.
/// </summary>
internal static class CpuClock
{
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal { public long Seconds; public long Microseconds; }

    private const int RusageChildren = -1;

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRUsage(int who, out RUsageBlittable usage);

    // struct rusage on 64-bit Linux: two timevals then 14 longs (144 bytes); only the times are read.
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct RUsageBlittable
    {
        public TimeVal User;
        public TimeVal System;
    }

    public static double ChildrenSeconds()
    {
        if (!OperatingSystem.IsLinux() || GetRUsage(RusageChildren, out var usage) != 0) return 0;
        return usage.User.Seconds + usage.User.Microseconds / 1e6 + usage.System.Seconds + usage.System.Microseconds / 1e6;
    }

    public static double OwnSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    public static double Now() => OwnSeconds() + ChildrenSeconds();
}
