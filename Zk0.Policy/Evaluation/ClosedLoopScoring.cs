using Zk0.Datasets.Samples;
using Zk0.Datasets.Simulation;
using Zk0.Policy.Abstractions;
using Zk0.Policy.SmolVla.Federation;
using static TorchSharp.torch;

namespace Zk0.Policy.Evaluation;

/// <summary>
/// Closed-loop success of a policy on the simulator task behind a <c>synth:</c> dataset: the simulator renders the
/// dataset's cameras at the dataset's image size, observations are normalized with the dataset's statistics, and each
/// predicted chunk is executed whole before the policy is asked again, until success or the step limit. Scenes and
/// sampling noise are fixed by the evaluation seed, so the rate changes only when the model does.
/// </summary>
public static class ClosedLoopScoring
{
    private const string ImageKeyPrefix = "observation.images.";

    public static ClosedLoopResult Run(
        IFederatedPolicy policy, SyntheticDatasetUri dataset, Normalizer normalization, ClosedLoopSettings settings, long evaluationSeed,
        CancellationToken cancellationToken = default, IRolloutObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(dataset);
        var units = new RobotUnits(policy.Features, normalization);
        Generator? generator = null;
        try
        {
            SimPolicy act = (observation, context, _) =>
            {
                if (context.Step == 0)
                {
                    generator?.Dispose();
                    generator = new Generator(EvaluationNoise.SampleSeed(evaluationSeed, context.Episode));
                }
                var chunk = units.Predict(policy, observation.State, observation.ImagesByFeatureKey(), observation.Instruction, generator!);
                return ValueTask.FromResult<IReadOnlyList<float[]>>(chunk);
            };
            // Every call completes synchronously, so waiting on the task blocks nothing.
            return ClosedLoopEvaluation.RunAsync(dataset.Task, act, settings.Episodes, SceneSeed(evaluationSeed, dataset), settings.MaxSteps,
                SimulatorFor(policy.Features), cancellationToken, observer).GetAwaiter().GetResult();
        }
        finally
        {
            generator?.Dispose();
        }
    }

    /// <summary>
    /// Seed of the evaluation scenes: the held-out seed offset by the evaluation seed, never the dataset's own seed, so the
    /// layouts are ones no training episode of this dataset used.
    /// </summary>
    public static int SceneSeed(long evaluationSeed, SyntheticDatasetUri dataset)
    {
        var seed = unchecked((int)(SyntheticDatasetUri.HeldOutSeed + evaluationSeed));
        return seed == dataset.Seed ? unchecked(seed + 1) : seed;
    }

    /// <summary>The simulator as the dataset was recorded: its cameras (<c>observation.images.{camera}</c>) at the policy's image sizes.</summary>
    public static SimulatorOptions SimulatorFor(PolicyFeatures features)
    {
        if (features.Cameras.Count == 0)
            throw new ArgumentException("The policy has no camera; a synthetic dataset always records at least one, so the policy was not built from one.");
        var cameras = features.Cameras.Select(c => c.Key.StartsWith(ImageKeyPrefix, StringComparison.Ordinal) ? c.Key[ImageKeyPrefix.Length..] : c.Key).ToList();
        var sizes = features.Cameras.Select(c => (c.Width, c.Height)).Distinct().ToList();
        if (sizes.Count != 1)
            throw new ArgumentException($"The policy's cameras have different image sizes ({string.Join(", ", sizes.Select(s => $"{s.Width}x{s.Height}"))}); the simulator renders one size for all.");
        var options = SimulatorOptions.Default with { Cameras = cameras, ImageWidth = sizes[0].Width, ImageHeight = sizes[0].Height };
        options.Validate();
        return options;
    }
}

/// <summary>
/// How many closed-loop episodes a dataset gets (0 = none), how many simulator steps each may take, and how many of the
/// first episodes are recorded as videos when the evaluation asks for them.
/// </summary>
public sealed record ClosedLoopSettings(int Episodes, int MaxSteps, int VideoEpisodes = 0)
{
    public bool Enabled => Episodes > 0;

    public int RecordedEpisodes => Math.Min(Episodes, VideoEpisodes);
}
