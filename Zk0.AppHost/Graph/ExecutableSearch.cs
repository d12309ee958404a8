namespace Zk0.AppHost.Graph;

/// <summary>Whether a program can be started by name, the way a shell finds it.</summary>
public static class ExecutableSearch
{
    public static bool IsOnPath(string executable)
    {
        if (executable.Contains(Path.DirectorySeparatorChar)) return File.Exists(executable);
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, executable)));
    }
}
