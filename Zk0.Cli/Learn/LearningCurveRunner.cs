using Zk0.Cli.Compare;
using Zk0.Datasets;
using Zk0.Datasets.Simulation;
using Zk0.Federation.Runs;
using Zk0.Federation.Schedules;
using Zk0.Federation.Strategies;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using Zk0.Policy.Evaluation;
using static TorchSharp.torch;

namespace Zk0.Cli.Learn;

/// <summary>
/// Central training on the pooled demonstrations of several synthetic tasks, with the Evaluator's scorer run every
/// <c>--eval-every</c> steps: held-out loss and closed-loop success per task against optimizer steps and training
/// seconds (evaluation time excluded). Training goes in segments of <c>--eval-every</c> steps through the nodes' own
/// <see cref="IFederatedPolicy.Train"/>, so each segment starts a fresh AdamW as a node's round does, and each segment is
/// a round of the run config's schedule (<c>lr-schedule</c>, <c>adaptation</c> fed with the held-out losses), as the
/// SuperLink would schedule a run of that many rounds. The last evaluation can be recorded as videos
/// (<c>videos/config-N/&lt;task&gt;/episode-K.mp4</c>).
/// </summary>
public sealed class LearningCurveRunner(PolicyCatalog catalog, IPolicyDatasetSource datasets)
{
    public static LearningCurveRunner CreateDefault() =>
        new(PolicyCatalog.Builtin(), new LeRobotPolicyDatasetSource(new PolicyDataOptions()));

    public IReadOnlyList<LearningCurve> Run(LearnOptions options, IReadOnlyList<Dictionary<string, string>> runConfigs, Action<string> log,
        CancellationToken cancellationToken = default)
    {
        var uris = options.DatasetUris;
        var device = options.Device.Equals("cuda", StringComparison.OrdinalIgnoreCase) ? CUDA : CPU;
        var splits = uris.Select(uri => datasets.Open(uri, DatasetSplit.Train)).ToList();
        try
        {
            using var heldOut = new HeldOutSets(datasets);
            var scorer = new ModelScorer(catalog, heldOut);
            var ffmpeg = options.Videos > 0 ? RolloutVideoRecorder.FindEncoder(out var whyNot) ?? throw new InvalidOperationException($"--videos needs ffmpeg with libx264: {whyNot}.") : null;
            return runConfigs.Select((config, i) =>
            {
                var videos = ffmpeg is null ? null : new EvaluationVideos(ffmpeg, Path.Combine(options.OutputDirectory, "videos", $"config-{i + 1}"), log);
                return Train(options, options.RunConfigs[i], config, splits, uris, scorer, videos, device, log, cancellationToken);
            }).ToList();
        }
        finally
        {
            foreach (var split in splits) split.Dispose();
        }
    }

    private LearningCurve Train(LearnOptions options, string label, Dictionary<string, string> config, IReadOnlyList<IPolicyDataset> splits,
        IReadOnlyList<string> uris, ModelScorer scorer, EvaluationVideos? videos, Device device, Action<string> log, CancellationToken cancellationToken)
    {
        config[RunSettings.EvalEpisodesKey] = options.EvalEpisodes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        config[RunSettings.EvalVideosKey] = options.Videos.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // As a federation of these tasks would: one normalization pooled over their datasets.
        if (!config.ContainsKey(RunConfigKeys.NormalizationStats) && RunNormalizationView.PooledStatistics(splits) is { } pooled)
            config[RunConfigKeys.NormalizationStats] = pooled.ToJson();
        var settings = RunSettings.From(config);
        splits = splits.Select(split => split.NormalizedFor(settings)).ToList();
        var schedule = SegmentSchedule(config, options);
        using var policy = catalog.Create(settings.PolicyType, new PolicyCreateOptions(splits[0].Features, settings.Raw, settings.Seed, device));
        var modelPath = Path.Combine(options.OutputDirectory, $".model-{Guid.NewGuid():N}.safetensors");
        using var stream = new UnionTrainBatches(splits, settings.BatchSize, CompareSeeds.Mix(settings.Seed, 0)).Batches().GetEnumerator();
        var points = new List<LearningPoint>();
        var trainSeconds = 0.0;
        LearningPoint Evaluate(int steps, double? trainLoss, double? learningRate, EvaluationVideos? recordTo)
        {
            policy.ExportTrainable(modelPath);
            var score = scorer.Score(modelPath, settings, uris, options.EvaluationSeed, device, cancellationToken, recordTo);
            var byTask = score.Datasets.ToDictionary(d => SyntheticDatasetUri.Parse(d.Key).Task.Name, d => d.Value.SuccessRate ?? 0);
            var point = new LearningPoint(steps, trainSeconds, trainLoss, learningRate, score.Loss, score.ActionError, score.SuccessRate ?? 0, byTask);
            log($"[{label}] step {steps}: {trainSeconds:F0} s of training, train loss {(trainLoss is { } loss ? loss.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "-")}" +
                $"{(learningRate is { } rate ? $" at lr {rate.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}" : "")}, held-out loss {score.Loss:F4}, " +
                $"success {point.SuccessRate:P0} ({string.Join(", ", byTask.Select(t => $"{t.Key} {t.Value:P0}"))})");
            return point;
        }

        try
        {
            // The untrained model first, so every curve starts where training did.
            points.Add(Evaluate(0, null, null, null));
            var heldOutLosses = new List<double>();
            for (var (steps, round) = (0, 1); steps < options.Steps; round++)
            {
                var segment = Math.Min(options.EvalEvery, options.Steps - steps);
                var learningRate = schedule.ForRound(round, heldOutLosses).LearningRate;
                var training = policy.Train(UnionTrainBatches.Take(stream, segment),
                    settings.TrainingOptions(CompareSeeds.Mix(settings.Seed, 1000 + steps)) with { Steps = segment, LearningRate = learningRate, ProximalMu = 0 },
                    cancellationToken);
                steps += training.Steps;
                trainSeconds += training.Elapsed.TotalSeconds;
                var point = Evaluate(steps, training.MeanLoss, learningRate, steps >= options.Steps ? videos : null);
                points.Add(point);
                heldOutLosses.Add(point.EvalLoss);
            }
        }
        finally
        {
            File.Delete(modelPath);
        }
        return new LearningCurve(label, config, points);
    }

    /// <summary>The run config's schedule over as many rounds as there are training segments.</summary>
    private static TrainSchedule SegmentSchedule(Dictionary<string, string> config, LearnOptions options)
    {
        var rounds = (options.Steps + options.EvalEvery - 1) / options.EvalEvery;
        var runConfig = RunConfiguration.Parse(new Dictionary<string, string>(config, StringComparer.Ordinal)
        {
            [RunConfigKeys.NumServerRounds] = rounds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return TrainSchedule.Parse(runConfig, StrategyCatalog.Create(runConfig));
    }
}
