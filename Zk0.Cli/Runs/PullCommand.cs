using System.CommandLine;
using Zk0.Cli.Connection;

namespace Zk0.Cli.Runs;

/// <summary>
/// <c>zk0 run pull ID --out DIR [--round N]</c>: the run's final (or a round's) global model as a LeRobot checkpoint
/// folder, built on the federation's side by the Evaluator, which loads as <c>policy-path</c>.
/// </summary>
public static class PullCommand
{
    public static Command Create(ServerOptions server)
    {
        var runId = RunCommands.RunIdArgument();
        var output = new Option<string>("--out") { Description = "the checkpoint folder to create (must not exist, or be empty)", Required = true };
        var round = new Option<int?>("--round") { Description = "a committed round's model instead of the latest" };
        var command = new Command("pull", "Download a run's global model as a LeRobot checkpoint folder.") { runId, output, round };
        FederationCommand.SetAction(command, server, async (parse, connection, ct) =>
        {
            var pulled = await CheckpointDownload.DownloadAsync(connection.Http, connection.Server, parse.GetValue(runId)!, parse.GetValue(round),
                Path.GetFullPath(parse.GetValue(output)!), ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(
                $"run {pulled.RunId} round {pulled.Round} (model {pulled.ModelHash[..12]}) written to {pulled.Directory}: {string.Join(", ", pulled.Files)}");
            await parse.InvocationConfiguration.Output.WriteLineAsync($"use it as --run-config \"policy-path={pulled.Directory}\" or load it in LeRobot");
            return 0;
        });
        return command;
    }
}
