using System.Diagnostics;

namespace Zk0.Tests.Cli.Bench.Federation;

/// <summary>Runs the zk0 tool built beside the tests (<c>dotnet zk0.dll ARGS</c>) and collects its output.</summary>
public static class ZkToolProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary><c>dotnet zk0.dll ARGS</c> from a neutral folder, its output redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "zk0.dll"), .. args]) start.ArgumentList.Add(arg);
        return start;
    }

    public static async Task<Result> RunAsync(string[] args, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"zk0 {string.Join(' ', args)} did not finish within {timeout}:{Environment.NewLine}{await output}{await error}");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
