namespace Zk0.Policy.Abstractions;

/// <summary>
/// How one round of local training runs. <c>ProximalMu</c> &gt; 0 adds FedProx's
/// <c>μ/2·‖w − w_global‖²</c> over the trainable tensors, where <c>w_global</c> is the model as it was
/// when training started (the global model the node just imported).
/// </summary>
public sealed record LocalTrainingOptions
{
    public int Steps { get; init; } = 10;
    public double LearningRate { get; init; } = 1e-4;
    public double ProximalMu { get; init; }
    public double WeightDecay { get; init; } = 1e-10;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;
    public double GradientClipNorm { get; init; } = 10.0;
    public LocalOptimizer Optimizer { get; init; } = LocalOptimizer.AdamW;

    /// <summary>Seeds anything random inside a training step (noise, dropout) so a round is reproducible.</summary>
    public long Seed { get; init; }

    /// <summary>The node's SCAFFOLD drift correction for this run, prepared for the round; null trains uncorrected.</summary>
    public ScaffoldCorrection? DriftCorrection { get; init; }

    /// <summary>Told after every optimizer step (a node's live status line); called on the training thread.</summary>
    public IProgress<TrainingStep>? Progress { get; init; }

    public void Validate()
    {
        if (Steps <= 0) throw new ArgumentException($"Local training: steps must be positive, got {Steps}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"Local training: learning rate must be positive and finite, got {LearningRate}.");
        if (ProximalMu < 0 || double.IsNaN(ProximalMu)) throw new ArgumentException($"Local training: proximal mu must be zero or positive, got {ProximalMu}.");
    }
}

/// <summary>One optimizer step done: <paramref name="Step"/> of <paramref name="Steps"/>, with the step's task loss.</summary>
public readonly record struct TrainingStep(int Step, int Steps, double Loss);

/// <summary>What a node reports about its local training.</summary>
/// <param name="MeanLoss">mean of the per-step task losses (without the proximal term)</param>
/// <param name="FinalLoss">task loss of the last step</param>
/// <param name="MeanProximalTerm">mean of the per-step proximal terms (0 without FedProx)</param>
/// <param name="UpdateNorm">‖w_after − w_before‖₂ over the trainable tensors</param>
public sealed record LocalTrainingResult(
    double MeanLoss,
    double FinalLoss,
    double MeanProximalTerm,
    int Steps,
    long Examples,
    double UpdateNorm,
    TimeSpan Elapsed);
