using System.Diagnostics;

namespace Zk0.Cli.Simulation;

/// <summary>
/// One of Zk0's own services (Zk0.SuperLink, Zk0.Gateway, Zk0.Garnet) run as a child process from this tool's
/// output folder, where the build puts them, with its own appsettings.json as content root. Measured from outside,
/// as deployed: its memory is its own, not the bench's.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private readonly string _contentRoot;
    private readonly IReadOnlyDictionary<string, string> _settings;

    private ServiceProcess(string name, string contentRoot, IReadOnlyDictionary<string, string> settings, Process process)
    {
        Name = name;
        _contentRoot = contentRoot;
        _settings = settings;
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="assemblyName"/> with configuration overrides (<c>--Key=value</c>).</summary>
    public static ServiceProcess Start(string assemblyName, string contentRoot, IReadOnlyDictionary<string, string> settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"{dll} is missing: build Zk0.Cli (it references {assemblyName} and copies it beside zk0).", dll);
        var start = new ProcessStartInfo(DotnetHost(), [dll, "--contentRoot", contentRoot, .. settings.Select(s => $"--{s.Key}={s.Value}")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = contentRoot,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return new ServiceProcess(assemblyName, contentRoot, settings, Process.Start(start)!);
    }

    /// <summary>Kills the process at once (SIGKILL: no graceful shutdown, as a crash or <c>kill -9</c>) and waits until it is gone.</summary>
    public void KillHard()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>A new process of the same service with the same settings (what a supervisor does after a crash).</summary>
    public ServiceProcess StartAgain() => Start(Name, _contentRoot, _settings);

    /// <summary>Whether a line the service printed (of the last ones kept) contains every one of <paramref name="texts"/>, ignoring case.</summary>
    public bool Printed(params string[] texts)
    {
        lock (_lastLines) return _lastLines.Any(l => texts.All(t => l.Contains(t, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The last lines the service printed (for error messages).</summary>
    public string Tail()
    {
        lock (_lastLines) return string.Join(Environment.NewLine, _lastLines);
    }

    public void Dispose()
    {
        KillHard();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > KeptLines) _lastLines.Dequeue();
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
