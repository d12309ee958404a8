using System.Diagnostics;
using Zk0.Datasets;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using Zk0.Policy.Evaluation;
using static TorchSharp.torch;

namespace Zk0.Cli.Compare;

/// <summary>What <c>zk0 compare</c> was asked to do.</summary>
/// <param name="RunFolders">one finished federated run per seed</param>
/// <param name="Seeds">how many seeds the comparison must have (one run folder each)</param>
/// <param name="StepsOverride">central optimizer steps instead of the federation's total</param>
/// <param name="EvaluationSeed">the Evaluator's seed when run.json does not record one (the Evaluator's default is 0)</param>
/// <param name="EvalEpisodes">closed-loop episodes per task for both models instead of the run's <c>eval-episodes</c></param>
public sealed record CompareOptions(IReadOnlyList<string> RunFolders, int Seeds = SeedRunSet.DefaultSeeds, string? OutputDirectory = null,
    int? StepsOverride = null, long? EvaluationSeed = null, string Device = "cpu", int? EvalEpisodes = null);

/// <summary>Where the comparison was written, and the central model's checkpoint of every seed.</summary>
public sealed record CompareOutputs(string Directory, string Markdown, string Json, string Chart, IReadOnlyList<string> CentralCheckpoints);

/// <summary>
/// Federated against central over several seeds: for every seed's run folder, loads the federated final model, trains
/// the central baseline with the same policy, settings, seed, initial weights and number of optimizer steps, scores both
/// with the Evaluator's <see cref="ModelScorer"/> on the nodes' tasks and, separately, on the unseen tasks, and writes
/// compare.md, compare.json and compare.png with the mean and 95 % confidence interval over the seeds.
/// </summary>
public sealed class CompareRunner(PolicyCatalog catalog, IPolicyDatasetSource datasets)
{
    public const string DefaultFolderName = "compare";

    public static CompareRunner CreateDefault() =>
        new(PolicyCatalog.Builtin(), new LeRobotPolicyDatasetSource(new PolicyDataOptions()));

    public (ComparisonReport Report, CompareOutputs Outputs) Run(CompareOptions options, Action<string> log, CancellationToken cancellationToken = default)
    {
        if (options.EvalEpisodes is < 0)
            throw new ArgumentException($"--eval-episodes must be 0 or more (0: loss only, no closed-loop episodes), got {options.EvalEpisodes}.");
        var runs = options.RunFolders.Select(RunFolderReader.Read).ToList();
        SeedRunSet.Check(runs, options.Seeds);
        if (options.EvalEpisodes is { } episodes) runs = [.. runs.Select(r => r.WithEvalEpisodes(episodes))];
        var first = runs[0];
        var evaluationSeed = first.EvaluationSeed ?? options.EvaluationSeed ?? 0;
        var device = options.Device.Equals("cuda", StringComparison.OrdinalIgnoreCase) ? CUDA : CPU;
        var directory = Path.GetFullPath(options.OutputDirectory ?? Path.Combine(first.Folder, DefaultFolderName));
        Directory.CreateDirectory(directory);

        using var heldOut = new HeldOutSets(datasets);
        var features = OpenEvaluationSets(first, heldOut);
        var scorer = new ModelScorer(catalog, heldOut);
        var seeds = new List<SeedRun>();
        var scores = new List<SeedScores>();
        var checkpoints = new List<string>();
        string schedule = "";
        foreach (var run in runs)
        {
            var settings = RunSettings.From(run.Config);
            var plan = CentralTrainingPlan.For(run, settings.LearningRate, options.StepsOverride, CentralOptimizer.Of(settings, run.Config));
            schedule = plan.Describe();
            // With one seed the central model sits in the comparison's folder, with several in one folder per run.
            var seedDirectory = runs.Count == 1 ? directory : Path.Combine(directory, run.RunId);
            Directory.CreateDirectory(seedDirectory);
            log($"seed {settings.Seed}: federated run {run.RunId}, {run.FinalCheckpoint} ({run.TotalSteps} steps over {run.Rounds.Count} rounds)");

            var federatedSettings = FederatedModel.Settings(run);
            var federatedModel = FederatedModel.ExportTrainable(catalog, run, federatedSettings, features, seedDirectory, device);
            var central = new CentralTrainer(catalog, datasets).Train(run, settings, plan, seedDirectory, device, log, cancellationToken);
            checkpoints.Add(central.CheckpointDirectory);

            var stopwatch = Stopwatch.StartNew();
            ModelScore Score(string model, RunSettings modelSettings, IReadOnlyList<string> uris) =>
                scorer.Score(model, modelSettings, uris, evaluationSeed, device, cancellationToken);
            var hasUnseen = run.UnseenEvalDatasets.Count > 0;
            scores.Add(new SeedScores(
                Score(federatedModel, federatedSettings, run.EvalDatasets),
                Score(central.TrainablePath, settings, run.EvalDatasets),
                hasUnseen ? Score(federatedModel, federatedSettings, run.UnseenEvalDatasets) : null,
                hasUnseen ? Score(central.TrainablePath, settings, run.UnseenEvalDatasets) : null));
            log($"seed {settings.Seed}: scored both models on {run.EvalDatasets.Count} dataset(s) of the nodes' tasks and " +
                $"{run.UnseenEvalDatasets.Count} unseen in {stopwatch.Elapsed.TotalSeconds:F1} s");
            seeds.Add(new SeedRun(run.RunId, settings.Seed, run.TotalSteps, central.Steps, run.WallTime, central.WallTime));
        }

        var firstSettings = RunSettings.From(first.Config);
        var report = new ComparisonReport(firstSettings.PolicyType, evaluationSeed, firstSettings.ClosedLoop.Episodes, seeds, schedule, ScoreMetrics.Names,
            ScoreMetrics.Rows(first.EvalDatasets, first.UnseenEvalDatasets, scores));
        return (report, Write(report, directory, checkpoints));
    }

    private static PolicyFeatures OpenEvaluationSets(FederatedRun run, HeldOutSets heldOut)
    {
        foreach (var uri in run.EvalDatasets.Concat(run.UnseenEvalDatasets))
        {
            try
            {
                heldOut.Get(uri);
            }
            catch (Exception e) when (e is DatasetException or IOException)
            {
                throw new RunFolderException($"Evaluation dataset '{uri}' (from run.json) cannot be opened: {e.Message}");
            }
        }
        return heldOut.Get(run.EvalDatasets[0]).Features;
    }

    private static CompareOutputs Write(ComparisonReport report, string directory, IReadOnlyList<string> centralCheckpoints)
    {
        var outputs = new CompareOutputs(directory, Path.Combine(directory, "compare.md"), Path.Combine(directory, "compare.json"),
            Path.Combine(directory, "compare.png"), centralCheckpoints);
        File.WriteAllText(outputs.Markdown, ComparisonMarkdown.Render(report));
        using (var json = File.Create(outputs.Json)) ComparisonJson.Write(report, json);
        ComparisonChart.Save(report, outputs.Chart);
        return outputs;
    }
}
