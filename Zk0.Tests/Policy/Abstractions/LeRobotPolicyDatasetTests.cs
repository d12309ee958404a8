using Zk0.Datasets;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using Zk0.Policy.BehaviourCloning;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.Abstractions;

public sealed class LeRobotPolicyDatasetTests(SmallSyntheticDataset data) : IClassFixture<SmallSyntheticDataset>
{
    private readonly LeRobotPolicyDatasetSource _source = new(new PolicyDataOptions { ChunkSize = 4, HeldOutFraction = 0.2 });

    [Fact]
    public void TrainAndHeldOutSplitsShareNoEpisodeAndCoverTheDataset()
    {
        using var train = _source.Open(data.Uri, DatasetSplit.Train);
        using var heldOut = _source.Open(data.Uri, DatasetSplit.HeldOut);
        using var all = Zk0.Datasets.Reading.LeRobotDataset.Open(data.Uri);

        Assert.Equal(all.FrameCount, train.Count + heldOut.Count);
        var heldOutEpisodes = heldOut.SequentialBatches(64).SelectMany(b => { using (b) return b.Tasks; }).Count();
        Assert.Equal(heldOut.Count, heldOutEpisodes);
        Assert.True(heldOut.Count < train.Count);
    }

    [Fact]
    public void BatchesHaveThePolicyLayout()
    {
        using var train = _source.Open(data.Uri, DatasetSplit.Train);
        using var batch = train.ShuffledBatches(6, seed: 1).First();

        Assert.Equal(new long[] { 6, 6 }, batch.State.shape);
        Assert.Equal(new long[] { 6, 4, 6 }, batch.Actions.shape);
        Assert.Equal(new long[] { 6, 4 }, batch.ActionIsPad.shape);
        Assert.Equal(train.Features.Cameras.Select(c => c.Key), batch.CameraFrames.Keys);
        Assert.All(batch.CameraFrames.Values, frames => Assert.Equal(("Byte", "6x24x32x3"), ($"{frames.dtype}", string.Join('x', frames.shape))));
        using var onDevice = batch.To(CPU);
        Assert.All(onDevice.Images.Values, image => Assert.Equal(("Float32", "6x3x24x32"), ($"{image.dtype}", string.Join('x', image.shape))));
        Assert.Equal("pick up the red cube and place it in the left bin", batch.Tasks[0]);
    }

    [Fact]
    public void A_batchs_camera_frames_keep_their_pixels_while_the_loader_goes_on_recycling_image_arrays()
    {
        using var train = _source.Open(data.Uri, DatasetSplit.Train);
        PolicyBatch? kept = null;
        Dictionary<string, Tensor>? expected = null;
        var later = 0;
        foreach (var batch in train.SequentialBatches(2))
        {
            if (kept is null)
            {
                (kept, expected) = (batch, batch.CameraFrames.ToDictionary(c => c.Key, c => c.Value.clone()));
                continue;
            }
            batch.Dispose();
            later++;
        }

        Assert.True(later > 4, "the split is too small for the loader to recycle arrays");
        foreach (var (camera, frames) in kept!.CameraFrames)
            Assert.True(frames.equal(expected![camera]).all().item<bool>(), $"{camera}'s frames changed after later batches were disposed");
        kept.Dispose();
    }

    [Fact]
    public void ARunsNormalizationReplacesTheDatasetsOwnAndDisposingTheViewKeepsTheDataset()
    {
        using var train = _source.Open(data.Uri, DatasetSplit.Train);
        var own = train.StateAndActionStatistics()!;
        // Mean 0 and std 1 leave the raw values: the batch then holds degrees, which the dataset's own stats turn back into.
        var identity = new Zk0.Federation.Normalization.NormalizationStatistics(own.Features.Select(f =>
            f with { Mean = new double[f.Dimensions], Std = Enumerable.Repeat(1.0, f.Dimensions).ToArray() }).ToList());
        var settings = RunSettings.From(new Dictionary<string, string> { ["normalization-stats"] = identity.ToJson() });

        var view = train.NormalizedFor(settings);
        using (var raw = view.SequentialBatches(8).First())
        using (var normalized = train.SequentialBatches(8).First())
        {
            var state = own.Of(LeRobotPolicyDataset.StateKey)!;
            var expected = (raw.State - tensor(state.Mean.Select(v => (float)v).ToArray())) / (tensor(state.Std.Select(v => (float)v).ToArray()) + 1e-8f);
            Assert.True(allclose(expected, normalized.State, rtol: 1e-4, atol: 1e-4));
            Assert.True(raw.State.abs().max().item<float>() > 5, "raw joint angles are degrees");
        }
        view.Dispose();

        Assert.Same(train, train.NormalizedFor(RunSettings.From(new Dictionary<string, string>())));
        using var again = train.SequentialBatches(8).First();
        Assert.Equal(8, again.State.shape[0]);
    }

    [Fact]
    public void TheBehaviourCloningPolicyTrainsOnARealDatasetAndEvaluatesDeterministically()
    {
        using var train = _source.Open(data.Uri, DatasetSplit.Train);
        using var heldOut = _source.Open(data.Uri, DatasetSplit.HeldOut);
        using var policy = new BehaviourCloningPolicyFactory().Create(new PolicyCreateOptions(train.Features, new Dictionary<string, string>(), 1));

        var before = policy.Evaluate(heldOut.SequentialBatches(32), new PolicyEvaluationOptions());
        var result = policy.Train(train.ShuffledBatches(16, seed: 2), new LocalTrainingOptions { Steps = 12, LearningRate = 3e-3 });
        var after = policy.Evaluate(heldOut.SequentialBatches(32), new PolicyEvaluationOptions());
        var again = policy.Evaluate(heldOut.SequentialBatches(32), new PolicyEvaluationOptions());

        Assert.Equal(12, result.Steps);
        Assert.Equal(heldOut.Count, after.Examples);
        Assert.Equal(after, again);
        Assert.True(after.Loss < before.Loss, $"held-out loss {before.Loss} -> {after.Loss}");
    }

    [Fact]
    public void AnUnknownSyntheticTaskIsRejectedWithTheKnownTasks()
    {
        var error = Assert.Throws<DatasetException>(() => _source.Open("synth:flying-cube", DatasetSplit.Train));

        Assert.Contains("flying-cube", error.Message);
        Assert.Contains("red-cube-to-left-bin", error.Message);
    }

    [Fact]
    public void ADatasetTooSmallForAHeldOutSplitSaysWhatToChange()
    {
        var source = new LeRobotPolicyDatasetSource(new PolicyDataOptions { HeldOutFraction = 0 });

        var error = Assert.Throws<DatasetException>(() => source.Open(data.Uri, DatasetSplit.HeldOut));

        Assert.Contains("HeldOutFraction", error.Message);
    }
}
