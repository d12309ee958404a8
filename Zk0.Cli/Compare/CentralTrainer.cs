using System.Diagnostics;
using Zk0.Datasets;
using Zk0.Federation.Runs;
using Zk0.Federation.Safetensors;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Checkpoints;
using static TorchSharp.torch;

namespace Zk0.Cli.Compare;

/// <summary>What central training did and where its model is.</summary>
public sealed record CentralTrainingResult(int Steps, double MeanLoss, double FinalLoss, TimeSpan WallTime, string TrainablePath, string CheckpointDirectory);

/// <summary>
/// Trains the run's policy centrally: the same policy type, settings and initial weights the federation started from
/// (same seed, or the run's <c>policy-path</c>), on the union of the nodes' TRAIN splits, with the nodes' own
/// <see cref="IFederatedPolicy.Train"/> segment by segment as the <see cref="CentralTrainingPlan"/> says.
/// </summary>
public sealed class CentralTrainer(PolicyCatalog catalog, IPolicyDatasetSource datasets)
{
    public const string TrainableFileName = "central.safetensors";
    public const string CheckpointFolderName = "central";

    public CentralTrainingResult Train(FederatedRun run, RunSettings settings, CentralTrainingPlan plan, string outputDirectory,
        Device device, Action<string> log, CancellationToken cancellationToken = default)
    {
        if (run.Config.TryGetValue(RunConfigKeys.InitialModel, out var hash) && !string.IsNullOrWhiteSpace(hash))
            throw new RunFolderException(
                $"The run started from the uploaded model {hash} ('{RunConfigKeys.InitialModel}'), which compare cannot reproduce. " +
                "Compare runs that start from the seed or from a 'policy-path' checkpoint.");

        var opened = OpenTrainSplits(run);
        try
        {
            // Normalized as the federated run was (its normalization-stats), so both sides learn in the same coordinates.
            var splits = opened.Select(split => split.NormalizedFor(settings)).ToList();
            var features = splits[0].Features;
            using var policy = catalog.Create(settings.PolicyType, new PolicyCreateOptions(features, settings.Raw, settings.Seed, device));
            var trainablePath = Path.Combine(outputDirectory, TrainableFileName);
            // The federation's global model starts as the init task's upload, in the run's wire dtype.
            policy.ExportTrainable(trainablePath, settings.WireDType);
            policy.ImportTrainable(trainablePath);

            var stopwatch = Stopwatch.StartNew();
            using var stream = new UnionTrainBatches(splits, settings.BatchSize, CompareSeeds.Mix(settings.Seed, 0)).Batches().GetEnumerator();
            int steps = 0;
            double lossSum = 0, finalLoss = double.NaN;
            foreach (var segment in plan.Segments)
            {
                var options = settings.TrainingOptions(CompareSeeds.Mix(settings.Seed, 1000 + segment.Round)) with
                {
                    Steps = segment.Steps,
                    LearningRate = segment.LearningRate,
                    ProximalMu = 0,
                    Optimizer = plan.Optimizer.Optimizer,
                };
                var result = policy.Train(UnionTrainBatches.Take(stream, segment.Steps), options, cancellationToken);
                steps += result.Steps;
                lossSum += result.MeanLoss * result.Steps;
                finalLoss = result.FinalLoss;
                log($"central round {segment.Round}: {result.Steps} steps at lr {segment.LearningRate:G4}, loss {result.MeanLoss:F4} ({result.Elapsed.TotalSeconds:F1} s)");
            }
            var wallTime = stopwatch.Elapsed;
            if (steps != plan.TotalSteps)
                throw new InvalidOperationException($"Central training took {steps} steps but the plan has {plan.TotalSteps}; the training data ran out.");

            policy.ExportTrainable(trainablePath, SafetensorsDType.F32);
            return new CentralTrainingResult(steps, lossSum / steps, finalLoss, wallTime, trainablePath, SaveCheckpoint(policy, settings, splits[0], outputDirectory));
        }
        finally
        {
            foreach (var split in opened) split.Dispose();
        }
    }

    private List<IPolicyDataset> OpenTrainSplits(FederatedRun run)
    {
        var splits = new List<IPolicyDataset>();
        try
        {
            foreach (var node in run.Nodes.DistinctBy(n => n.DatasetUri))
            {
                try
                {
                    splits.Add(datasets.Open(node.DatasetUri, DatasetSplit.Train));
                }
                catch (Exception e) when (e is DatasetException or IOException)
                {
                    throw new RunFolderException($"Node {node.NodeIndex}'s dataset '{node.DatasetUri}' (from run.json) cannot be opened: {e.Message}");
                }
                if (!PolicyFeaturesMatch(splits[0].Features, splits[^1].Features))
                    throw new RunFolderException($"Node {node.NodeIndex}'s dataset '{node.DatasetUri}' has other state, action or camera shapes than '{run.Nodes[0].DatasetUri}'; one policy cannot train on both.");
            }
            return splits;
        }
        catch
        {
            foreach (var split in splits) split.Dispose();
            throw;
        }
    }

    private static bool PolicyFeaturesMatch(PolicyFeatures a, PolicyFeatures b) =>
        a.StateDim == b.StateDim && a.ActionDim == b.ActionDim && a.ChunkSize == b.ChunkSize && a.Cameras.SequenceEqual(b.Cameras);

    /// <summary>
    /// The central model as the federation's checkpoints are written: a LeRobot folder with the processor files, with the
    /// normalization it was trained with (the run's; for a run from before runs had one, the first node's, as its checkpoints took the first evaluation dataset's).
    /// </summary>
    private static string SaveCheckpoint(IFederatedPolicy policy, RunSettings settings, IPolicyDataset firstSplit, string outputDirectory)
    {
        var directory = Path.Combine(outputDirectory, CheckpointFolderName);
        var normalization = CheckpointNormalization.Of(firstSplit);
        PolicyCheckpointWriter.Write(policy, directory, new Dictionary<string, string>(),
            normalization is null ? null : new CheckpointTrainingRun(normalization, settings));
        return directory;
    }
}
