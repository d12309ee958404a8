namespace Zk0.Federation.Schedules;

/// <summary>
/// Per-node learning-rate boost: a node whose own training loss improved by less than <c>threshold</c> (relative)
/// between the first and the last of the last <c>rounds</c> rounds it reported in trains its next round at the round's
/// learning rate × <c>boost</c>, capped at <c>maxLearningRate</c> (never below the round's rate). A pure function
/// of the node's stored results, so a restarted SuperLink gives it the same rate.
/// </summary>
public sealed class NodeStallBoost(int rounds, double threshold, double boost, double maxLearningRate)
{
    public int Rounds => rounds;

    /// <summary>Whether a node with these training losses (oldest first, one per round it reported in) has stalled.</summary>
    public bool IsStalled(IReadOnlyList<double> lossesOldestFirst)
    {
        if (lossesOldestFirst.Count < rounds) return false;
        var first = lossesOldestFirst[^rounds];
        var last = lossesOldestFirst[^1];
        return (first - last) / Math.Max(Math.Abs(first), 1e-8) < threshold;
    }

    /// <summary>The node's learning rate for the round.</summary>
    public double LearningRate(double roundLearningRate, IReadOnlyList<double> lossesOldestFirst) =>
        IsStalled(lossesOldestFirst) ? Math.Min(roundLearningRate * boost, Math.Max(roundLearningRate, maxLearningRate)) : roundLearningRate;

    public string Summary() => $"node-lr-boost={boost:R} (node-stall-rounds={rounds}, node-stall-threshold={threshold:R}" +
        (maxLearningRate < double.MaxValue ? $", at most adapt-lr-max={maxLearningRate:R})" : ")");
}
