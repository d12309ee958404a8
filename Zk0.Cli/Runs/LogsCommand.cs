using System.CommandLine;
using Google.Protobuf;
using Zk0.Cli.Connection;
using Zk0.Federation.Runs;

namespace Zk0.Cli.Runs;

/// <summary><c>zk0 run logs ID [--follow] [--json]</c>: the run's events, one per line.</summary>
public static class LogsCommand
{
    public static Command Create(ServerOptions server)
    {
        var runId = RunCommands.RunIdArgument();
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing new events until the run ends" };
        var json = new Option<bool>("--json") { Description = "one JSON object per event" };
        var command = new Command("logs", "Print a run's events (rounds, node results, evaluations).") { runId, follow, json };
        FederationCommand.SetAction(command, server, async (parse, connection, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            await foreach (var e in RunEventFollower.ReadAsync(connection.Control, parse.GetValue(runId)!, parse.GetValue(follow), line => error.WriteLine(line), ct))
            {
                if (parse.GetValue(json)) await output.WriteLineAsync(JsonFormatter.Default.Format(e));
                else if (RunEventText.Describe(e) is { } line) await output.WriteLineAsync($"{Timestamps.Local(e.UnixMs)} {line}");
            }
            return 0;
        });
        return command;
    }
}
