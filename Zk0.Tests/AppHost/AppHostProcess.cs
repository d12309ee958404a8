using System.Diagnostics;
using System.Reflection;

namespace Zk0.Tests.AppHost;

/// <summary>Runs the built AppHost the way the README does (<c>dotnet run --project Zk0.AppHost --no-build -- ARGS</c>).</summary>
public static class AppHostProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <param name="workingDirectory">Where it runs (what <c>.zk0/</c> is relative to); default the temp folder.</param>
    public static async Task<Result> RunAsync(string[] args, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        var configuration = typeof(AppHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var arg in (string[])["run", "--project", Projects.Zk0_AppHost.ProjectPath, "--no-build", "-c", configuration, "--", .. args])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
