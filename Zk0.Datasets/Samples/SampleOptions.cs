namespace Zk0.Datasets.Samples;

/// <summary>What a sample contains and how it is prepared.</summary>
public sealed record SampleOptions
{
    /// <summary>Feature keys to include; null means observation.state, action, every camera and any other numeric feature.</summary>
    public IReadOnlyList<string>? Features { get; init; }
    /// <summary>LeRobot's delta_timestamps: seconds relative to the sampled frame, e.g. action → [0, 1/fps, …].</summary>
    public IReadOnlyDictionary<string, double[]> DeltaTimestamps { get; init; } = new Dictionary<string, double[]>();
    /// <summary>Per-feature normalization; null means MEAN_STD for observation.state and action, identity for the rest (SmolVLA's choice).</summary>
    public IReadOnlyDictionary<string, NormalizationMode>? Normalization { get; init; }
    /// <summary>
    /// Statistics to normalize with instead of the dataset's own (e.g. a federation's, pooled over several datasets);
    /// features it does not name keep the dataset's.
    /// </summary>
    public IReadOnlyDictionary<string, Stats.FeatureStats>? Stats { get; init; }

    /// <summary>The common policy setup: an action chunk of <paramref name="chunkSize"/> steps and optional observation history.</summary>
    public static SampleOptions ActionChunk(double fps, int chunkSize, int observationSteps = 1, IReadOnlyList<string>? cameras = null)
    {
        var deltas = new Dictionary<string, double[]> { ["action"] = Enumerable.Range(0, chunkSize).Select(i => i / fps).ToArray() };
        if (observationSteps > 1)
        {
            var history = Enumerable.Range(1 - observationSteps, observationSteps).Select(i => i / fps).ToArray();
            deltas["observation.state"] = history;
            foreach (var camera in cameras ?? []) deltas[camera] = history;
        }
        return new SampleOptions { DeltaTimestamps = deltas };
    }
}
