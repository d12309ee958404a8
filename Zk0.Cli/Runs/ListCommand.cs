using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Spectre.Console;
using Zk0.Cli.Connection;
using Zk0.Cli.Tables;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Runs;

/// <summary><c>zk0 run ls [--json]</c>: every run the federation knows, newest first.</summary>
public static class ListCommand
{
    public static Command Create(ServerOptions server)
    {
        var json = RunCommands.JsonOption();
        var command = new Command("ls", "List the federation's runs.") { json };
        FederationCommand.SetAction(command, server, async (parse, connection, ct) =>
        {
            var reply = new ListRunsReply { Runs = { await ControlListing.AllRunsAsync(connection.Control, cancellationToken: ct) } };
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonFormatter.Default.Format(reply));
                return 0;
            }
            if (reply.Runs.Count == 0)
            {
                await output.WriteLineAsync("no runs yet; submit one with `zk0 run submit --run-config \"num-server-rounds=3\" --stream`");
                return 0;
            }
            var table = new Table().AddColumns("run", "status", "rounds", "created", "finished", "model", "message");
            foreach (var run in reply.Runs.OrderByDescending(r => r.CreatedUnixMs))
                table.AddRow(
                    Markup.Escape(run.RunId),
                    RunOutcome.Name(run.Status),
                    string.Create(CultureInfo.InvariantCulture, $"{run.CompletedRounds}/{run.NumServerRounds}"),
                    Timestamps.Local(run.CreatedUnixMs),
                    Timestamps.Local(run.FinishedUnixMs),
                    run.GlobalModelHash.Length >= 12 ? run.GlobalModelHash[..12] : "-",
                    Markup.Escape(run.Message));
            SpectreTables.Write(output, table);
            return 0;
        });
        return command;
    }
}
