using System.CommandLine;
using Zk0.Cli.Connection;
using Zk0.Cli.Dataset;
using Zk0.Cli.Runs;

namespace Zk0.Cli.Learn;

/// <summary>
/// <c>zk0 learn --run-config "policy=bc …" [--run-config …]</c>: where learning happens on this machine. Central training on
/// the pooled synthetic tasks with closed-loop success measured along the way; one curve per configuration.
/// </summary>
public static class LearnCommand
{
    public static Command Create()
    {
        var runConfig = new Option<string[]>("--run-config")
        {
            Description = "one training configuration as \"k=v k=v\" (policy, learning-rate, batch-size, bc-* sizes, seed, eval-max-steps, ...); repeat to compare configurations",
            DefaultValueFactory = _ => ["policy=bc"],
        };
        var tasks = new Option<string[]>("--tasks")
        {
            Description = "synthetic tasks to pool (default: the four the AppHost's nodes train on)",
            DefaultValueFactory = _ => [.. LearnOptions.DefaultTaskNames],
            AllowMultipleArgumentsPerToken = true,
        };
        var episodes = new Option<int>("--episodes") { Description = "demonstrations per task", DefaultValueFactory = _ => 20 };
        var steps = new Option<int>("--steps") { Description = "optimizer steps per configuration", DefaultValueFactory = _ => 4000 };
        var evalEvery = new Option<int>("--eval-every") { Description = "optimizer steps between evaluations", DefaultValueFactory = _ => 500 };
        var evalEpisodes = new Option<int>("--eval-episodes") { Description = "closed-loop episodes per task at each evaluation", DefaultValueFactory = _ => 20 };
        var evalSeed = new Option<long>("--eval-seed") { Description = "evaluation seed (the Evaluator's default is 0)", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "where learning.png, learning.csv and learning.json go", DefaultValueFactory = _ => "learning" };
        var videos = new Option<int>("--videos") { Description = "episodes per task of each configuration's last evaluation to record as MP4 under <out>/videos", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var recovery = new Option<float>("--recovery")
        {
            Description = "degrees of wobble the demonstrations' arm executes and the recorded actions bring back (recovery data; 0: none)",
            DefaultValueFactory = _ => 0,
        };

        var command = new Command("learn", "Train centrally on the pooled synthetic tasks and chart closed-loop success against optimizer steps and training time, " +
            "one curve per --run-config.")
        {
            runConfig, tasks, episodes, steps, evalEvery, evalEpisodes, evalSeed, output, videos, device, recovery,
        };
        command.SetAction((parse, cancellationToken) => CliRun.GuardAsync(parse, async writer =>
        {
            var options = new LearnOptions(parse.GetValue(tasks)!, parse.GetValue(episodes), parse.GetValue(steps), parse.GetValue(evalEvery),
                parse.GetValue(evalEpisodes), parse.GetValue(runConfig)!, Path.GetFullPath(parse.GetValue(output)!), parse.GetValue(evalSeed), parse.GetValue(device)!, parse.GetValue(videos), parse.GetValue(recovery));
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message, 2);
            }
            var configs = options.RunConfigs.Select(text => RunConfigArguments.Parse([text])).ToList();
            Directory.CreateDirectory(options.OutputDirectory);
            var error = parse.InvocationConfiguration.Error;
            var curves = await Task.Run(() => LearningCurveRunner.CreateDefault().Run(options, configs, line => error.WriteLine(line), cancellationToken), cancellationToken);

            var (chart, csv, json) = (Path.Combine(options.OutputDirectory, "learning.png"), Path.Combine(options.OutputDirectory, "learning.csv"),
                Path.Combine(options.OutputDirectory, "learning.json"));
            LearningCurveChart.Save(curves, chart);
            LearningCurveFiles.WriteCsv(curves, csv);
            LearningCurveFiles.WriteJson(curves, options, json);
            foreach (var curve in curves)
            {
                var best = curve.Best!;
                var reached = curve.FirstReaching(0.8);
                await writer.WriteLineAsync($"{curve.Label}: best success {best.SuccessRate:P0} at step {best.Steps} ({best.TrainSeconds:F0} s of training); " +
                    (reached is null ? "never reached 80 %" : $"80 % first at step {reached.Steps} ({reached.TrainSeconds:F0} s)"));
            }
            await writer.WriteLineAsync($"written: {chart}, {csv}, {json}");
            return 0;
        }));
        return command;
    }
}
