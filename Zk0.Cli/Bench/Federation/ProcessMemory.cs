using System.Globalization;

namespace Zk0.Cli.Bench.Federation;

/// <summary>
/// Resident memory of a process from <c>/proc/PID/status</c> (Linux): VmRSS now and VmHWM, the peak since start or
/// since the last <see cref="ResetPeak"/>. Resident memory includes file pages a process has memory-mapped and touched.
/// </summary>
public static class ProcessMemory
{
    public static long CurrentResidentBytes(int processId) => ReadKilobytes(processId, "VmRSS:") * 1024;

    public static long PeakResidentBytes(int processId) => ReadKilobytes(processId, "VmHWM:") * 1024;

    /// <summary>Sets the peak back to the current resident size (writes 5 to <c>/proc/PID/clear_refs</c>), so one phase's peak can be measured.</summary>
    public static void ResetPeak(int processId) => File.WriteAllText($"/proc/{processId}/clear_refs", "5");

    public static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0", CultureInfo.InvariantCulture) + " MiB";

    private static long ReadKilobytes(int processId, string field)
    {
        var path = $"/proc/{processId}/status";
        if (!File.Exists("/proc/self/status"))
            throw new PlatformNotSupportedException("/proc/self/status is missing: the memory rows of zk0 bench federation need Linux's /proc.");
        if (!File.Exists(path))
            throw new InvalidOperationException($"{path} is missing: process {processId} has exited.");
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal))
            ?? throw new InvalidDataException($"{path} has no {field} line.");
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
