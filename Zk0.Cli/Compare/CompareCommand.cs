using System.CommandLine;
using Zk0.Cli.Dataset;

namespace Zk0.Cli.Compare;

/// <summary><c>zk0 compare --run outputs/&lt;run-id&gt;</c>: the federated final model against central training on the union of the nodes' data.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "Output folder of a finished federated run (run.json, metrics.json, checkpoints/final/).", Required = true };
        var output = new Option<string?>("--out") { Description = "Where to write compare.md, compare.json, compare.png and the central model (default: <run>/compare)." };
        var steps = new Option<int?>("--steps") { Description = "Central optimizer steps (default: the federation's total, summed over rounds and nodes)." };
        var evalSeed = new Option<long?>("--eval-seed") { Description = "Evaluation seed when run.json records none (default 0, the Evaluator's)." };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };

        var command = new Command("compare", "Train the run's policy centrally on the union of the nodes' data with the same number of optimizer steps, " +
            "score both models with the Evaluator's scorer, and write a table and a chart.")
        {
            run, output, steps, evalSeed, device,
        };
        command.SetAction((parse, cancellationToken) => CliRun.GuardAsync(parse, async writer =>
        {
            var options = new CompareOptions(parse.GetValue(run)!, parse.GetValue(output), parse.GetValue(steps), parse.GetValue(evalSeed), parse.GetValue(device)!);
            var error = parse.InvocationConfiguration.Error;
            var (report, outputs) = await Task.Run(() => CompareRunner.CreateDefault().Run(options, line => error.WriteLine(line), cancellationToken), cancellationToken);
            await writer.WriteLineAsync(ComparisonMarkdown.Render(report));
            await writer.WriteLineAsync($"written: {outputs.Markdown}, {outputs.Json}, {outputs.Chart}" +
                (outputs.CentralCheckpoint is null ? "" : $", central checkpoint {outputs.CentralCheckpoint}"));
            return 0;
        }));
        return command;
    }
}
