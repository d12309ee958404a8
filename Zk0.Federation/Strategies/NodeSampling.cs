using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>Shared helpers strategies use to pick nodes and combine metrics (Flower's strategy_utils idea).</summary>
public static class NodeSampling
{
    /// <summary>
    /// ceil(fraction-train × available) nodes, at least min-train-nodes (when that many are available), drawn
    /// deterministically from the run's seed and the round.
    /// </summary>
    public static IReadOnlyList<AvailableNode> Sample(int round, RunConfiguration config, IReadOnlyList<AvailableNode> available)
    {
        var count = (int)Math.Ceiling(config.FractionTrain * available.Count);
        count = Math.Clamp(Math.Max(count, config.MinTrainNodes), 0, available.Count);
        var ordered = available.OrderBy(n => n.NodeId, StringComparer.Ordinal).ToArray();
        new Random(unchecked((int)(config.Seed * 1_000_003 + round))).Shuffle(ordered);
        return ordered.Take(count).ToArray();
    }

    /// <summary>Each metric averaged over the updates that report it, weighted by their examples.</summary>
    public static IReadOnlyDictionary<string, double> WeightedAverage(IReadOnlyList<TrainUpdate> updates)
    {
        var sums = new Dictionary<string, (double Sum, double Weight)>(StringComparer.Ordinal);
        foreach (var update in updates)
            foreach (var (key, value) in update.Metrics)
            {
                var (sum, weight) = sums.GetValueOrDefault(key);
                sums[key] = (sum + value * update.NumExamples, weight + update.NumExamples);
            }
        return sums.Where(kv => kv.Value.Weight > 0).ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Weight, StringComparer.Ordinal);
    }
}
