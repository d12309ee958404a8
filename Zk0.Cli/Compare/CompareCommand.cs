using System.CommandLine;
using Zk0.Cli.Dataset;

namespace Zk0.Cli.Compare;

/// <summary>
/// <c>zk0 compare --run outputs/A --run outputs/B --run outputs/C</c>: the federated final models of runs that differ only
/// in their seed against central training on the union of the nodes' data with the same seeds; mean and 95 % CI per task.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var run = new Option<string[]>("--run")
        {
            Description = "Output folder of a finished federated run (run.json, metrics.json, checkpoints/final/); once per seed.",
            Required = true,
        };
        var seeds = new Option<int>("--seeds")
        {
            Description = "How many seeds the comparison has: that many --run folders, runs that differ only in their seed; central training uses each run's seed.",
            DefaultValueFactory = _ => SeedRunSet.DefaultSeeds,
        };
        var output = new Option<string?>("--out") { Description = "Where to write compare.md, compare.json, compare.png and the central models (default: <first run>/compare)." };
        var steps = new Option<int?>("--steps") { Description = "Central optimizer steps (default: the federation's total, summed over rounds and nodes)." };
        var evalSeed = new Option<long?>("--eval-seed") { Description = "Evaluation seed when run.json records none (default 0, the Evaluator's)." };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var evalEpisodes = new Option<int?>("--eval-episodes")
        {
            Description = "Closed-loop episodes per task to score both models with (default: the runs' eval-episodes); more episodes, narrower success intervals.",
        };

        var command = new Command("compare", "Train the run's policy centrally on the union of the nodes' data with the same number of optimizer steps, " +
            "score both models with the Evaluator's scorer, and write a table and a chart.")
        {
            run, seeds, output, steps, evalSeed, device, evalEpisodes,
        };
        command.SetAction((parse, cancellationToken) => CliRun.GuardAsync(parse, async writer =>
        {
            var options = new CompareOptions(parse.GetValue(run)!, parse.GetValue(seeds), parse.GetValue(output), parse.GetValue(steps), parse.GetValue(evalSeed), parse.GetValue(device)!,
                parse.GetValue(evalEpisodes));
            var error = parse.InvocationConfiguration.Error;
            var (report, outputs) = await Task.Run(() => CompareRunner.CreateDefault().Run(options, line => error.WriteLine(line), cancellationToken), cancellationToken);
            await writer.WriteLineAsync(ComparisonMarkdown.Render(report));
            await writer.WriteLineAsync($"written: {outputs.Markdown}, {outputs.Json}, {outputs.Chart}, central checkpoint(s) {string.Join(", ", outputs.CentralCheckpoints)}");
            return 0;
        }));
        return command;
    }
}
