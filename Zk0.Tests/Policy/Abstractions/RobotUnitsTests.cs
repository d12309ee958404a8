using Zk0.Datasets.Frames;
using Zk0.Datasets.Loading;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Simulation;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using Zk0.Tests.Policy.Evaluation;

namespace Zk0.Tests.Policy.Abstractions;

[Collection(SyntheticEvaluationCollection.Name)]
public sealed class RobotUnitsTests(SyntheticEvaluationData data)
{
    [Fact]
    public void A_raw_frame_becomes_exactly_the_loaders_sample_and_its_action_chunk_goes_back_to_recorded_units()
    {
        var options = data.DataOptions;
        using var heldOut = data.Source.Open(SyntheticEvaluationData.SynthUri, DatasetSplit.HeldOut);
        using var batch = heldOut.SequentialBatches(1).First();
        using var raw = LeRobotDataset.Open(SyntheticDatasetUri.Parse(SyntheticEvaluationData.SynthUri).Resolve(options.SyntheticCacheDirectory));
        var episode = EpisodeSplit.Create(raw.Episodes.Select(e => e.EpisodeIndex), options.HeldOutFraction, options.SplitSeed).HeldOut[0];
        var row = raw.RowOf(episode, 0);
        var units = new RobotUnits(heldOut.Features, heldOut.Normalization!);
        var frames = heldOut.Features.Cameras.ToDictionary(c => c.Key, c => raw.ReadFrame(c.Key, row));

        using var observation = units.Observation(raw.Vector(LeRobotPolicyDataset.StateKey, row), frames, raw.Task(row));
        var actions = units.Actions(batch.Actions);

        using var trained = batch.To(TorchSharp.torch.CPU);
        using var acted = observation.To(TorchSharp.torch.CPU);

        Assert.Equal(batch.State.data<float>().ToArray(), observation.State.data<float>().ToArray());
        foreach (var camera in heldOut.Features.Cameras)
            Assert.Equal(trained.Images[camera.Key].data<float>().ToArray(), acted.Images[camera.Key].data<float>().ToArray());
        Assert.Equal(batch.Tasks, observation.Tasks);
        Assert.Equal(heldOut.Features.ChunkSize, actions.Length);
        for (var t = 0; t < actions.Length; t++)
        {
            var recorded = raw.Vector(LeRobotPolicyDataset.ActionKey, row + t);
            for (var j = 0; j < recorded.Length; j++) Assert.Equal(recorded[j], actions[t][j], 2e-3f);
        }
    }

    [Fact]
    public void A_camera_image_of_another_size_or_a_missing_camera_is_rejected_by_name()
    {
        using var heldOut = data.Source.Open(SyntheticEvaluationData.SynthUri, DatasetSplit.HeldOut);
        var units = new RobotUnits(heldOut.Features, heldOut.Normalization!);
        var cameras = heldOut.Features.Cameras;
        var state = new float[heldOut.Features.StateDim];

        var wrongSize = Assert.Throws<ArgumentException>(() => units.Observation(state, cameras.ToDictionary(c => c.Key, _ => RgbFrame.Blank(64, 48)), "t"));
        var missing = Assert.Throws<ArgumentException>(() => units.Observation(state, new Dictionary<string, RgbFrame>(), "t"));
        var shortState = Assert.Throws<ArgumentException>(() => units.Observation(new float[2], cameras.ToDictionary(c => c.Key, c => RgbFrame.Blank(c.Width, c.Height)), "t"));

        Assert.Contains(cameras[0].Key, wrongSize.Message);
        Assert.Contains("64x48", wrongSize.Message);
        Assert.Contains(cameras[0].Key, missing.Message);
        Assert.Contains("2 values", shortState.Message);
    }
}
