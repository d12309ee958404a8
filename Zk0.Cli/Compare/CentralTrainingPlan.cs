namespace Zk0.Cli.Compare;

/// <summary>One stretch of central training: the optimizer steps that stand for one federated round, at its learning rate.</summary>
public sealed record TrainingSegment(int Round, int Steps, double LearningRate);

/// <summary>
/// How the central baseline trains: one segment per federated round with that round's total steps (all nodes together)
/// and that round's learning rate, so a per-round schedule or adaptation applies at the same point of training.
/// A fresh optimizer per segment mirrors the nodes, which start each round with a fresh one.
/// </summary>
public sealed record CentralTrainingPlan(IReadOnlyList<TrainingSegment> Segments)
{
    /// <summary>What each segment trains with (AdamW unless the run says otherwise), its learning rate already in the segments.</summary>
    public CentralOptimizer Optimizer { get; init; } = CentralOptimizer.NodesAdamW;

    public int TotalSteps => Segments.Sum(s => s.Steps);

    public static CentralTrainingPlan For(FederatedRun run, double configLearningRate, int? stepsOverride = null, CentralOptimizer? optimizer = null)
    {
        var factor = optimizer?.LearningRateFactor ?? 1;
        var rounds = run.Rounds.Where(r => r.Steps > 0).ToList();
        var steps = stepsOverride is int total ? Spread(total, rounds.Select(r => r.Steps).ToList()) : rounds.Select(r => r.Steps).ToList();
        var segments = rounds.Select((r, i) => new TrainingSegment(r.Round, steps[i], factor * (r.LearningRate ?? configLearningRate)))
            .Where(s => s.Steps > 0)
            .ToList();
        return optimizer is null ? new CentralTrainingPlan(segments) : new CentralTrainingPlan(segments) { Optimizer = optimizer };
    }

    /// <summary>Splits <paramref name="total"/> over the rounds in proportion to their steps (largest remainders get the rest).</summary>
    internal static List<int> Spread(int total, IReadOnlyList<int> weights)
    {
        if (total <= 0) throw new ArgumentException($"--steps must be a positive number of optimizer steps, got {total}.");
        var sum = weights.Sum(w => (long)w);
        var shares = weights.Select(w => (double)total * w / sum).ToList();
        var result = shares.Select(s => (int)Math.Floor(s)).ToList();
        var left = total - result.Sum();
        foreach (var index in Enumerable.Range(0, weights.Count).OrderByDescending(i => shares[i] - result[i]).ThenBy(i => i).Take(left))
            result[index]++;
        return result;
    }

    public string Describe() =>
        $"{TotalSteps} steps in {Segments.Count} segment(s), one per federated round at that round's learning rate " +
        $"({Optimizer.Description}), proximal-mu 0";
}
