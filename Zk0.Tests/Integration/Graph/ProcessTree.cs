using System.Diagnostics;

namespace Zk0.Tests.Integration.Graph;

/// <summary><c>kill -9</c> of a process and everything it started (DCP runs a project as <c>dotnet run</c>, whose child is the service).</summary>
internal static class ProcessTree
{
    public static void Kill(int pid)
    {
        // Children first, so none of them is re-parented and missed.
        foreach (var child in Children(pid)) Kill(child);
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(); // SIGKILL on Linux
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    private static IEnumerable<int> Children(int pid) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => (Pid: int.Parse(name!), Parent: ParentOf(name!)))
            .Where(p => p.Parent == pid)
            .Select(p => p.Pid)
            .ToList();

    private static int? ParentOf(string pid)
    {
        try
        {
            // /proc/PID/stat: "PID (comm) STATE PPID ..."; comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1]);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
