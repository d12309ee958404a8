using System.Diagnostics;
using System.Runtime.InteropServices;
using Zk0.AppHost.Logs;

namespace Zk0.AppHost.Hosting;

/// <summary>
/// One started process of a resource replica: environment built from scratch on top of the
/// AppHost's (minus the variables Aspire never passes on), output pumped line by line to a log
/// sink, graceful stop with SIGTERM and a process-tree kill after a timeout.
/// </summary>
public sealed partial class ManagedProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ManagedProcess(Process process, string instance)
    {
        _process = process;
        Instance = instance;
    }

    public string Instance { get; }

    public int Id => _process.Id;

    /// <summary>Completes with the exit code when the process exits.</summary>
    public Task<int> Exited => _exited.Task;

    public static ManagedProcess Start(
        string resource, string instance, string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, IResourceLogSink logs)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var name in Zk0.AppHost.Environment.ResourceEnvironment.NotInherited) info.Environment.Remove(name);
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process, instance);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) logs.Write(resource, instance, e.Data, isError: false); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) logs.Write(resource, instance, e.Data, isError: true); };
        process.Exited += (_, _) =>
        {
            // Let the output pumps drain before reporting the exit.
            process.WaitForExit();
            managed._exited.TrySetResult(process.ExitCode);
        };

        try
        {
            process.Start();
        }
        catch (Exception ex)
        {
            process.Dispose();
            throw new DistributedApplicationException($"Could not start '{instance}' ({fileName}): {ex.Message}", ex);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>Asks the process to stop (SIGTERM; a kill where signals are not available) and kills its tree after <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_exited.Task.IsCompleted) return;
        try
        {
            if (OperatingSystem.IsWindows()) _process.Kill(entireProcessTree: true);
            else _ = Kill(_process.Id, SigTerm);
        }
        catch (InvalidOperationException)
        {
            return; // already gone
        }

        if (await Task.WhenAny(_exited.Task, Task.Delay(timeout)).ConfigureAwait(false) != _exited.Task)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
