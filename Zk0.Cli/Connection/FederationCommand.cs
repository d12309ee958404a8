using System.CommandLine;

namespace Zk0.Cli.Connection;

/// <summary>Runs a verb that talks to a federation: opens the connection, and prints any failure as one line with a non-zero exit code.</summary>
public static class FederationCommand
{
    public static void SetAction(Command command, ServerOptions server, Func<ParseResult, FederationConnection, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parse, ct) =>
        {
            Uri? address = null;
            try
            {
                address = server.ServerUri(parse);
                using var connection = FederationConnection.Open(server, parse);
                return await body(parse, connection, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return 130;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                var (line, code) = CliErrors.Describe(error, address);
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {line}");
                return code;
            }
        });
    }
}
