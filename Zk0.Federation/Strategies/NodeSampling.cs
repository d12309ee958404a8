using Zk0.Federation.Runs;

namespace Zk0.Federation.Strategies;

/// <summary>Shared helpers strategies use to pick nodes and combine metrics (Flower's strategy_utils idea).</summary>
public static class NodeSampling
{
    /// <summary>
    /// ceil(fraction-train × available) nodes, at least min-train-nodes (when that many are available), drawn
    /// deterministically from the run's seed and the round, and returned in canonical order. The draw shuffles the
    /// canonical order, so it does not depend on the node ids the SuperLink hands out at registration.
    /// </summary>
    public static IReadOnlyList<AvailableNode> Sample(int round, RunConfiguration config, IReadOnlyList<AvailableNode> available)
    {
        var count = (int)Math.Ceiling(config.FractionTrain * available.Count);
        count = Math.Clamp(Math.Max(count, config.MinTrainNodes), 0, available.Count);
        var ordered = CanonicalOrder(available).ToArray();
        new Random(unchecked((int)(config.Seed * 1_000_003 + round))).Shuffle(ordered);
        return CanonicalOrder(ordered.Take(count)).ToArray();
    }

    /// <summary>
    /// Nodes by dataset id (derived from the node's data, the same on every start), then node id (random per
    /// registration; it only orders nodes that serve the same data). Updates are folded in this order.
    /// </summary>
    public static IEnumerable<AvailableNode> CanonicalOrder(IEnumerable<AvailableNode> nodes) =>
        nodes.OrderBy(n => n.DatasetId, StringComparer.Ordinal).ThenBy(n => n.NodeId, StringComparer.Ordinal);

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
