namespace Zk0.Policy.Abstractions;

/// <summary>Which episodes of a dataset a consumer may see: nodes train on Train, the evaluator scores HeldOut.</summary>
public enum DatasetSplit
{
    Train,
    HeldOut,
}

/// <summary>Samples of one dataset split, served as <see cref="PolicyBatch"/>es.</summary>
public interface IPolicyDataset : IDisposable
{
    PolicyFeatures Features { get; }

    /// <summary>Number of samples (frames) in the split.</summary>
    long Count { get; }

    /// <summary>Endless batches in an order fixed by <paramref name="seed"/>, reshuffled every epoch.</summary>
    IEnumerable<PolicyBatch> ShuffledBatches(int batchSize, long seed);

    /// <summary>One pass over every sample in a fixed order (the last batch may be smaller).</summary>
    IEnumerable<PolicyBatch> SequentialBatches(int batchSize);

    /// <summary>
    /// How raw robot values became the batches' state and actions (the loader's normalizer with the dataset's stats), so
    /// raw observations can be prepared the same way and predicted actions turned back; null when batches are not raw-derived.
    /// </summary>
    Zk0.Datasets.Samples.Normalizer? Normalization => null;

    /// <summary>
    /// The same samples normalized with <paramref name="stats"/> instead of the dataset's own statistics (a run's
    /// federation-wide normalization). The view shares this dataset: disposing it does nothing, disposing this ends both.
    /// A dataset whose batches are not raw-derived (<see cref="Normalization"/> null) has nothing to renormalize and is its own view.
    /// </summary>
    IPolicyDataset NormalizedWith(IReadOnlyDictionary<string, Zk0.Datasets.Stats.FeatureStats> stats) => this;
}

/// <summary>Opens a dataset split from a URI (<c>local:/path</c>, <c>hf:owner/name</c>, <c>synth:task</c>, ...).</summary>
public interface IPolicyDatasetSource
{
    IPolicyDataset Open(string uri, DatasetSplit split);
}
