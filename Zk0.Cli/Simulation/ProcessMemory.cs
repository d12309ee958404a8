using System.Diagnostics;
using System.Globalization;

namespace Zk0.Cli.Simulation;

/// <summary>
/// Resident memory of a process: now, and the peak since start or since the last <see cref="ResetPeak"/> (.NET reads
/// VmRSS and VmHWM from <c>/proc/PID/status</c> on Linux). Resident memory includes file pages a process has
/// memory-mapped and touched.
/// </summary>
public static class ProcessMemory
{
    public static long CurrentResidentBytes(int processId) => Read(processId, p => p.WorkingSet64);

    public static long PeakResidentBytes(int processId) => Read(processId, p => p.PeakWorkingSet64);

    /// <summary>Sets the peak back to the current resident size (writes 5 to <c>/proc/PID/clear_refs</c>), so one phase's peak can be measured.</summary>
    public static void ResetPeak(int processId)
    {
        if (!File.Exists("/proc/self/clear_refs"))
            throw new PlatformNotSupportedException("/proc/self/clear_refs is missing: the memory rows of zk0 bench federation need Linux's /proc.");
        File.WriteAllText($"/proc/{processId}/clear_refs", "5");
    }

    public static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0", CultureInfo.InvariantCulture) + " MiB";

    private static long Read(int processId, Func<Process, long> figure)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return figure(process);
        }
        catch (ArgumentException)
        {
            throw new InvalidOperationException($"/proc/{processId}/status is missing: process {processId} has exited.");
        }
    }
}
