using System.Diagnostics;
using Zk0.Datasets;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using Zk0.Policy.Evaluation;
using static TorchSharp.torch;

namespace Zk0.Cli.Compare;

/// <summary>What <c>zk0 compare</c> was asked to do.</summary>
/// <param name="StepsOverride">central optimizer steps instead of the federation's total</param>
/// <param name="EvaluationSeed">the Evaluator's seed when run.json does not record one (the Evaluator's default is 0)</param>
public sealed record CompareOptions(string RunFolder, string? OutputDirectory = null, int? StepsOverride = null, long? EvaluationSeed = null, string Device = "cpu");

/// <summary>Where the comparison was written.</summary>
public sealed record CompareOutputs(string Directory, string Markdown, string Json, string Chart, string? CentralCheckpoint);

/// <summary>
/// Federated against central: reads the run folder, loads the federated final model, trains the central baseline with
/// the same policy, settings, initial weights and number of optimizer steps, scores both with the Evaluator's
/// <see cref="ModelScorer"/> on the run's evaluation datasets, and writes compare.md, compare.json and compare.png.
/// </summary>
public sealed class CompareRunner(PolicyCatalog catalog, IPolicyDatasetSource datasets)
{
    public const string DefaultFolderName = "compare";

    public static CompareRunner CreateDefault() =>
        new(PolicyCatalog.Builtin(), new LeRobotPolicyDatasetSource(new PolicyDataOptions()));

    public (ComparisonReport Report, CompareOutputs Outputs) Run(CompareOptions options, Action<string> log, CancellationToken cancellationToken = default)
    {
        var run = RunFolderReader.Read(options.RunFolder);
        var settings = RunSettings.From(run.Config);
        var plan = CentralTrainingPlan.For(run, settings.LearningRate, options.StepsOverride);
        var evaluationSeed = run.EvaluationSeed ?? options.EvaluationSeed ?? 0;
        var device = options.Device.Equals("cuda", StringComparison.OrdinalIgnoreCase) ? CUDA : CPU;
        var directory = Path.GetFullPath(options.OutputDirectory ?? Path.Combine(run.Folder, DefaultFolderName));
        Directory.CreateDirectory(directory);

        using var heldOut = new HeldOutSets(datasets);
        var features = OpenEvaluationSets(run, heldOut);
        var federatedSettings = FederatedModel.Settings(run);
        var federatedModel = FederatedModel.ExportTrainable(catalog, run, federatedSettings, features, directory, device);
        log($"federated model: {run.FinalCheckpoint} ({run.TotalSteps} steps over {run.Rounds.Count} rounds)");

        var central = new CentralTrainer(catalog, datasets).Train(run, settings, plan, directory, device, log, cancellationToken);

        var scorer = new ModelScorer(catalog, heldOut);
        var stopwatch = Stopwatch.StartNew();
        var federatedScore = scorer.Score(federatedModel, federatedSettings, run.EvalDatasets, evaluationSeed, device, cancellationToken);
        var centralScore = scorer.Score(central.TrainablePath, settings, run.EvalDatasets, evaluationSeed, device, cancellationToken);
        log($"scored both models on {run.EvalDatasets.Count} dataset(s) in {stopwatch.Elapsed.TotalSeconds:F1} s");

        var report = new ComparisonReport(run.RunId, settings.PolicyType, evaluationSeed, run.TotalSteps, central.Steps,
            run.WallTime, central.WallTime, plan.Describe(), ScoreMetrics.Names,
            ScoreMetrics.Rows(run.EvalDatasets, federatedScore, centralScore));
        return (report, Write(report, directory, central.CheckpointDirectory));
    }

    private static PolicyFeatures OpenEvaluationSets(FederatedRun run, HeldOutSets heldOut)
    {
        foreach (var uri in run.EvalDatasets)
        {
            try
            {
                heldOut.Get(uri);
            }
            catch (Exception e) when (e is DatasetException or IOException)
            {
                throw new RunFolderException($"Evaluation dataset '{uri}' (from run.json eval_datasets) cannot be opened: {e.Message}");
            }
        }
        return heldOut.Get(run.EvalDatasets[0]).Features;
    }

    private static CompareOutputs Write(ComparisonReport report, string directory, string? centralCheckpoint)
    {
        var outputs = new CompareOutputs(directory, Path.Combine(directory, "compare.md"), Path.Combine(directory, "compare.json"),
            Path.Combine(directory, "compare.png"), centralCheckpoint);
        File.WriteAllText(outputs.Markdown, ComparisonMarkdown.Render(report));
        using (var json = File.Create(outputs.Json)) ComparisonJson.Write(report, json);
        ComparisonChart.Save(report, outputs.Chart);
        return outputs;
    }
}
