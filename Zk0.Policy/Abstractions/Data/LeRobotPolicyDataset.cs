using Zk0.Datasets.Loading;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Samples;
using Zk0.Datasets.Stats;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions.Data;

/// <summary>
/// Some episodes of a LeRobot dataset as policy batches: samples are built by the dataset loader (action chunk with
/// <c>action_is_pad</c>, state and action normalized with the dataset's mean/std, 8-bit images) and turned into tensors, images
/// still uint8 HWC: <see cref="PolicyBatch.To"/> makes them float CHW in [0, 1] on the policy's device.
/// </summary>
public sealed class LeRobotPolicyDataset : IPolicyDataset
{
    public const string StateKey = "observation.state";
    public const string ActionKey = "action";

    private readonly LeRobotDataset _dataset;
    private readonly IReadOnlyList<int> _episodes;
    private readonly IReadOnlyDictionary<string, FeatureStats>? _stats;
    private readonly bool _ownsDataset;
    // Shared with the views NormalizedWith makes (a node makes one per round), so every round reuses the same memory.
    private readonly LoaderBuffers _buffers;

    public LeRobotPolicyDataset(LeRobotDataset dataset, IReadOnlyList<int> episodes, PolicyFeatures features)
        : this(dataset, episodes, features, stats: null, ownsDataset: true, new LoaderBuffers())
    {
    }

    private LeRobotPolicyDataset(LeRobotDataset dataset, IReadOnlyList<int> episodes, PolicyFeatures features,
        IReadOnlyDictionary<string, FeatureStats>? stats, bool ownsDataset, LoaderBuffers buffers)
    {
        _buffers = buffers;
        _dataset = dataset;
        _episodes = episodes;
        _stats = stats;
        _ownsDataset = ownsDataset;
        Features = features;
        Count = episodes.Sum(e => (long)dataset.Episode(e).Length);
        // The normalizer the loader's batch builder uses, built from the same sample options.
        Normalization = new BatchBuilder(dataset, SampleOptions()).Normalizer;
    }

    public Normalizer Normalization { get; }

    public IPolicyDataset NormalizedWith(IReadOnlyDictionary<string, FeatureStats> stats) =>
        new LeRobotPolicyDataset(_dataset, _episodes, Features, stats, ownsDataset: false, _buffers);

    public PolicyFeatures Features { get; }

    public long Count { get; }

    public IEnumerable<PolicyBatch> ShuffledBatches(int batchSize, long seed)
    {
        var loader = Loader(batchSize, shuffle: true, seed: (int)(seed ^ (seed >> 32)) & int.MaxValue);
        for (var epoch = 0; ; epoch++)
        {
            foreach (var batch in loader.ReadEpochAsync(epoch).ToBlockingEnumerable())
                yield return ToPolicyBatch(batch);
        }
    }

    public IEnumerable<PolicyBatch> SequentialBatches(int batchSize)
    {
        foreach (var batch in Loader(batchSize, shuffle: false, seed: 0).ReadEpochAsync(0).ToBlockingEnumerable())
            yield return ToPolicyBatch(batch);
    }

    private DatasetLoader Loader(int batchSize, bool shuffle, int seed)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), "Batch size must be positive.");
        return new DatasetLoader(_dataset, new LoaderOptions
        {
            BatchSize = batchSize,
            Shuffle = shuffle,
            Seed = seed,
            // An endless shuffled stream must yield something even when the split is smaller than a batch.
            DropLast = shuffle && Count >= batchSize,
            Episodes = _episodes,
            Samples = SampleOptions(),
        }, _buffers);
    }

    private SampleOptions SampleOptions() =>
        Zk0.Datasets.Samples.SampleOptions.ActionChunk(_dataset.Fps, Features.ChunkSize) with
        {
            Features = [StateKey, ActionKey, .. Features.Cameras.Select(c => c.Key)],
            Stats = _stats,
        };

    // The camera tensors take over the batch's image arrays without a copy and give them back to the loader's pool when
    // libtorch frees them; disposing the batch gives back the rest.
    private PolicyBatch ToPolicyBatch(Batch batch)
    {
        using (batch)
            return new PolicyBatch
            {
                State = Tensor(batch, StateKey, batch.Size, Features.StateDim),
                Actions = Tensor(batch, ActionKey, batch.Size, Features.ChunkSize, Features.ActionDim),
                ActionIsPad = batch.Padding.TryGetValue($"{ActionKey}_is_pad", out var pad)
                    ? tensor(pad.Data, pad.Shape.Select(d => (long)d).ToArray())
                    : zeros([batch.Size, Features.ChunkSize], ScalarType.Bool),
                CameraFrames = Features.Cameras.ToDictionary(c => c.Key, c => CameraImageTensor.Frames(batch.TakeImage(c.Key))),
                Tasks = batch.Tasks,
            };
    }

    // Made in their final shape, never as a view of a temporary: batches are made outside any dispose scope, so a
    // temporary is held by nothing but the stack, and the GC may finalize (free) it while libtorch still reads it in
    // view() (TorchSharp passes raw handles). That crashed zk0 compare and the Evaluator with a segfault in at::native::view.
    // The shape comes from the same features the batch was built with; tensor() refuses a buffer of another size.
    private static Tensor Tensor(Batch batch, string key, params long[] shape) => tensor(batch[key].Data, shape);

    public void Dispose()
    {
        if (_ownsDataset) _dataset.Dispose();
    }
}
