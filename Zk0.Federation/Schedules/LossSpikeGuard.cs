namespace Zk0.Federation.Schedules;

/// <summary>
/// Decides which rounds' models are adopted: a round whose server evaluation loss is more than
/// <c>threshold</c> (relative) above the loss of the last adopted, evaluated round is not adopted, and the next round
/// starts from the model it started from. A round without an evaluation (not scheduled, or past eval-timeout) is
/// adopted, and so is the first evaluated round. A pure function of the stored evaluations, so a restarted SuperLink
/// makes the same decisions.
/// </summary>
public sealed class LossSpikeGuard(double threshold)
{
    /// <summary>The round metric (with the round's train metrics, and on its RoundCompleted event): 1 adopted, 0 not.</summary>
    public const string AdoptedMetric = "adopted";

    public double Threshold => threshold;

    /// <summary>For rounds 1..N (index 0 is round 1), given each round's evaluation loss or null: whether it is adopted.</summary>
    public IReadOnlyList<SpikeVerdict> Judge(IReadOnlyList<double?> evaluationLossByRound)
    {
        var verdicts = new List<SpikeVerdict>(evaluationLossByRound.Count);
        double? reference = null;
        foreach (var loss in evaluationLossByRound)
        {
            if (loss is not { } value)
            {
                verdicts.Add(new SpikeVerdict(true, reference));
                continue;
            }
            // A non-finite loss (a diverged model) is a spike whenever there is an adopted loss to fall back to.
            var spiked = reference is { } previous && (!double.IsFinite(value) || value > previous * (1 + threshold));
            verdicts.Add(new SpikeVerdict(!spiked, reference));
            if (!spiked) reference = value;
        }
        return verdicts;
    }

    public string Summary() => $"loss-spike-threshold={threshold:R}";
}

/// <summary>Whether a round's model is adopted, and the adopted loss it was compared with (null: none yet).</summary>
public sealed record SpikeVerdict(bool Adopted, double? ReferenceLoss);
