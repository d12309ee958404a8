using Zk0.Datasets.Simulation;
using Zk0.Policy.Abstractions;

namespace Zk0.Policy.Evaluation;

/// <summary>
/// Scores a global model on held-out data: build the run's policy, load the model's trainable tensors,
/// and compute the deterministic policy loss on every dataset's held-out split (fixed order, fixed seed); on datasets
/// with a simulator (<c>synth:</c>) also the closed-loop success rate over <c>eval-episodes</c> fixed episodes, recording
/// the first <c>eval-videos</c> of them when given <see cref="EvaluationVideos"/>.
/// </summary>
public sealed class ModelScorer(PolicyCatalog catalog, HeldOutSets heldOut)
{
    public ModelScore Score(string modelPath, RunSettings settings, IReadOnlyList<string> datasetUris, long evaluationSeed,
        TorchSharp.torch.Device? device = null, CancellationToken cancellationToken = default, EvaluationVideos? videos = null)
    {
        if (datasetUris.Count == 0)
            throw new ArgumentException("No evaluation datasets are configured: set Evaluator:Datasets or the run's eval-datasets.");
        var sets = datasetUris.Select(uri => (Uri: uri, Set: heldOut.Get(uri).NormalizedFor(settings))).ToList();
        var features = sets[0].Set.Features;
        foreach (var (uri, set) in sets.Skip(1))
        {
            if (!SameShapes(set.Features, features))
                throw new InvalidDataException($"Evaluation dataset '{uri}' has features {Describe(set.Features)} but '{sets[0].Uri}' has {Describe(features)}; one policy cannot score both.");
        }

        using var policy = catalog.Create(settings.PolicyType, new PolicyCreateOptions(features, settings.Raw, settings.Seed, device));
        policy.ImportTrainable(modelPath);
        var scores = new Dictionary<string, DatasetScore>(StringComparer.Ordinal);
        foreach (var (uri, set) in sets)
        {
            var result = policy.Evaluate(set.SequentialBatches(settings.EvalBatchSize), new PolicyEvaluationOptions(evaluationSeed), cancellationToken);
            scores[uri] = new DatasetScore(result.Loss, result.Examples, double.IsFinite(result.ActionError) ? result.ActionError : null,
                SuccessRate(policy, uri, set, settings.ClosedLoop, evaluationSeed, videos, cancellationToken));
        }
        var examples = scores.Values.Sum(s => s.Examples);
        var overall = examples == 0 ? double.NaN : scores.Values.Sum(s => s.Loss * s.Examples) / examples;
        double? actionError = examples == 0 || scores.Values.Any(s => s.ActionError is null)
            ? null
            : scores.Values.Sum(s => s.ActionError!.Value * s.Examples) / examples;
        var rates = scores.Values.Where(s => s.SuccessRate is not null).Select(s => s.SuccessRate!.Value).ToList();
        return new ModelScore(overall, examples, scores, actionError, rates.Count == 0 ? null : rates.Average());
    }

    // Only synth: datasets have a simulator; the others get no success rate rather than a 0.
    private static double? SuccessRate(IFederatedPolicy policy, string uri, IPolicyDataset set, ClosedLoopSettings closedLoop, long evaluationSeed,
        EvaluationVideos? videos, CancellationToken cancellationToken)
    {
        if (!closedLoop.Enabled || !SyntheticDatasetUri.IsSynthetic(uri)) return null;
        var normalization = set.Normalization
            ?? throw new InvalidOperationException($"Evaluation dataset '{uri}' does not say how its state and actions were normalized, so the simulator's cannot be; closed-loop scoring needs it (or set {RunSettings.EvalEpisodesKey}=0).");
        var dataset = SyntheticDatasetUri.Parse(uri);
        using var recorder = videos?.RecorderFor(dataset, closedLoop);
        return ClosedLoopScoring.Run(policy, dataset, normalization, closedLoop, evaluationSeed, cancellationToken, recorder).SuccessRate;
    }

    private static bool SameShapes(PolicyFeatures a, PolicyFeatures b) =>
        a.StateDim == b.StateDim && a.ActionDim == b.ActionDim && a.ChunkSize == b.ChunkSize && a.Cameras.SequenceEqual(b.Cameras);

    private static string Describe(PolicyFeatures f) =>
        $"(state {f.StateDim}, action {f.ActionDim}, chunk {f.ChunkSize}, cameras {string.Join("+", f.Cameras.Select(c => $"{c.Key} {c.Height}x{c.Width}"))})";
}
