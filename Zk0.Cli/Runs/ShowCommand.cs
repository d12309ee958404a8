using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Spectre.Console;
using Zk0.Cli.Connection;
using Zk0.Cli.Tables;
using Zk0.Federation.Protocol;

namespace Zk0.Cli.Runs;

/// <summary><c>zk0 run show ID [--json]</c>: the run's settings and each round: nodes, losses, server evaluation.</summary>
public static class ShowCommand
{
    public static Command Create(ServerOptions server)
    {
        var runId = RunCommands.RunIdArgument();
        var json = RunCommands.JsonOption();
        var command = new Command("show", "Show one run: its settings and every round.") { runId, json };
        FederationCommand.SetAction(command, server, async (parse, connection, ct) =>
        {
            var run = await connection.Control.GetRunAsync(new GetRunRequest { RunId = parse.GetValue(runId)! }, cancellationToken: ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonFormatter.Default.Format(run));
                return 0;
            }
            var summary = run.Summary;
            await output.WriteLineAsync($"run {summary.RunId}: {RunOutcome.Name(summary.Status)}, {summary.CompletedRounds} of {summary.NumServerRounds} rounds" +
                                        (summary.Message.Length > 0 ? $" ({summary.Message})" : ""));
            await output.WriteLineAsync($"created {Timestamps.Local(summary.CreatedUnixMs)}, finished {Timestamps.Local(summary.FinishedUnixMs)}");
            await output.WriteLineAsync($"config: {string.Join(' ', summary.Config.OrderBy(c => c.Key, StringComparer.Ordinal).Select(ConfigEntry))}");
            if (summary.GlobalModelHash.Length > 0) await output.WriteLineAsync($"global model: {summary.GlobalModelHash}");
            if (run.Rounds.Count == 0) return 0;
            var table = new Table().AddColumns("round", "nodes", "train loss", "eval loss", "action error", "success", "missing", "model");
            foreach (var round in run.Rounds)
                table.AddRow(
                    round.Round.ToString(CultureInfo.InvariantCulture),
                    string.Join("\n", round.Train.Select(t => Markup.Escape($"{t.NodeId} {Figure(t.Metrics, "loss")}{(t.Error.Length > 0 ? " error" : "")}"))),
                    Figure(round.TrainMetrics, "loss"),
                    round.Eval is { } eval ? eval.Loss.ToString("G4", CultureInfo.InvariantCulture) : "-",
                    round.Eval is { } e1 ? Figure(e1.Metrics, "action_error") : "-",
                    round.Eval is { } e2 && e2.Metrics.TryGetValue("success_rate", out var s) ? s.ToString("P0", CultureInfo.InvariantCulture) : "-",
                    Markup.Escape(string.Join(", ", round.MissingNodes)),
                    (round.ModelHash.Length >= 12 ? round.ModelHash[..12] : "-") + NotAdopted(round.TrainMetrics));
            SpectreTables.Write(output, table);
            return 0;
        });
        return command;
    }

    /// <summary>Marks a round rejected by loss-spike-threshold: the next round started from the model before it.</summary>
    private static string NotAdopted(IDictionary<string, double> metrics) =>
        metrics.TryGetValue(Zk0.Federation.Schedules.LossSpikeGuard.AdoptedMetric, out var adopted) && adopted == 0 ? "\n(not adopted)" : "";

    private static string Figure(IDictionary<string, double> metrics, string key) =>
        metrics.TryGetValue(key, out var value) ? value.ToString("G4", CultureInfo.InvariantCulture) : "-";

    // The statistics are a few hundred numbers: the line names them, --json has them.
    private static string ConfigEntry(KeyValuePair<string, string> entry) =>
        entry.Key == Zk0.Federation.Runs.RunConfigKeys.NormalizationStats
            ? $"{entry.Key}=({string.Join(", ", Zk0.Federation.Normalization.NormalizationStatistics.Parse(entry.Value).Features.Select(f => $"{f.Feature} over {f.Count:N0} frames"))}; --json lists them)"
            : $"{entry.Key}={entry.Value}";
}
