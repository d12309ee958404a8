using System.CommandLine;
using Zk0.Datasets;

namespace Zk0.Cli.Dataset;

/// <summary>Runs a command body and turns failures into one clear line on stderr and a non-zero exit code, never a stack trace.</summary>
internal static class CliRun
{
    public static async Task<int> GuardAsync(ParseResult parse, Func<TextWriter, Task<int>> body)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return await body(output);
        }
        catch (Connection.CliException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (DatasetException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or FormatException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
        }
        return 1;
    }
}
