using System.CommandLine;
using Zk0.Cli.Connection;

namespace Zk0.Cli.Runs;

/// <summary><c>zk0 run …</c>: submit a run and watch it, list, show, read its events, stop it, pull its model.</summary>
public static class RunCommands
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var command = new Command("run", "Submit, watch, list, stop and pull federated runs through the federation's gateway.")
        {
            SubmitCommand.Create(server),
            ListCommand.Create(server),
            ShowCommand.Create(server),
            LogsCommand.Create(server),
            StopCommand.Create(server),
            PullCommand.Create(server),
        };
        server.AddTo(command);
        return command;
    }

    internal static Argument<string> RunIdArgument() => new("run-id") { Description = "the run's id (`zk0 run ls` lists them)" };

    internal static Option<bool> JsonOption() => new("--json") { Description = "print JSON for scripts instead of a table" };
}
