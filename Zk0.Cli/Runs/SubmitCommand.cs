using System.CommandLine;
using Zk0.Cli.Connection;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Runs;

/// <summary><c>zk0 run submit --run-config "k=v …" [--stream]</c>; with <c>--stream</c> the exit code is the run's outcome.</summary>
public static class SubmitCommand
{
    public static Command Create(ServerOptions server)
    {
        var runConfig = new Option<string[]>("--run-config")
        {
            Description = "run settings as \"k=v k=v\" (num-server-rounds, local-steps, batch-size, strategy, learning-rate, policy, ...); may be repeated",
            AllowMultipleArgumentsPerToken = false,
        };
        var stream = new Option<bool>("--stream") { Description = "follow the run until it ends; exit code 0 only if it completed (1 failed, 3 stopped)" };
        var command = new Command("submit", "Submit a federated run.") { runConfig, stream };
        FederationCommand.SetAction(command, server, async (parse, connection, ct) =>
        {
            var config = RunConfigArguments.Parse(parse.GetValue(runConfig) ?? []);
            var reply = await connection.Control.SubmitRunAsync(new SubmitRunRequest { Config = { config } }, cancellationToken: ct);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"run {reply.RunId} submitted to {connection.Server}");
            if (!parse.GetValue(stream)) return 0;
            return await RunStreamView.ForTerminal(output).ShowAsync(connection.Control, reply.RunId, ct);
        });
        return command;
    }
}
