using Zk0.Policy.Abstractions;

namespace Zk0.Cli.Compare;

/// <summary>
/// The union of several TRAIN splits as one endless, seeded batch stream. Every epoch lists each dataset once per
/// batch it has (at least once), shuffles that list, and takes the next shuffled batch of the dataset named; so
/// the datasets are mixed in proportion to their size and every batch comes from one dataset, as on a node.
/// </summary>
public sealed class UnionTrainBatches(IReadOnlyList<IPolicyDataset> datasets, int batchSize, long seed)
{
    public IEnumerable<PolicyBatch> Batches()
    {
        var streams = datasets.Select((d, i) => d.ShuffledBatches(batchSize, CompareSeeds.Mix(seed, i + 1)).GetEnumerator()).ToList();
        try
        {
            var slots = datasets.SelectMany((d, i) => Enumerable.Repeat(i, (int)Math.Max(1, d.Count / batchSize))).ToArray();
            for (var epoch = 0; ; epoch++)
            {
                new Random((int)(CompareSeeds.Mix(seed, -epoch - 1) & int.MaxValue)).Shuffle(slots);
                foreach (var index in slots)
                {
                    if (!streams[index].MoveNext()) throw new InvalidOperationException($"Training dataset {index} ran out of batches.");
                    yield return streams[index].Current;
                }
            }
        }
        finally
        {
            foreach (var stream in streams) stream.Dispose();
        }
    }

    /// <summary>Exactly <paramref name="count"/> batches from a shared stream, leaving the rest for the next caller.</summary>
    public static IEnumerable<PolicyBatch> Take(IEnumerator<PolicyBatch> stream, int count)
    {
        for (var i = 0; i < count && stream.MoveNext(); i++) yield return stream.Current;
    }
}
