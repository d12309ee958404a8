using System.CommandLine;
using Zk0.Cli.Connection;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Runs;

/// <summary><c>zk0 run stop ID [--reason TEXT]</c>.</summary>
public static class StopCommand
{
    public static Command Create(ServerOptions server)
    {
        var runId = RunCommands.RunIdArgument();
        var reason = new Option<string?>("--reason") { Description = "why, recorded with the run" };
        var command = new Command("stop", "Stop a run; its last committed model stays.") { runId, reason };
        FederationCommand.SetAction(command, server, async (parse, connection, ct) =>
        {
            var id = parse.GetValue(runId)!;
            var reply = await connection.Control.StopRunAsync(new StopRunRequest { RunId = id, Reason = parse.GetValue(reason) ?? "" }, cancellationToken: ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(reply.Status == RunStatus.Stopped
                ? $"run {id} stopped"
                : $"run {id} had already ended ({RunOutcome.Name(reply.Status)}); nothing changed");
            return 0;
        });
        return command;
    }
}
