using Zk0.Datasets;
using Zk0.Datasets.Loading;
using Zk0.Datasets.Reading;
using Zk0.Datasets.Simulation;

namespace Zk0.Policy.Abstractions.Data;

/// <summary>
/// Opens LeRobot datasets (<c>local:/path</c>, <c>hf:owner/name</c>, a plain path, or <c>synth:task</c>, generated on
/// first use) and serves the episodes of one side of the deterministic train / held-out split.
/// </summary>
public sealed class LeRobotPolicyDatasetSource(PolicyDataOptions options) : IPolicyDatasetSource
{
    public IPolicyDataset Open(string uri, DatasetSplit split)
    {
        if (string.IsNullOrWhiteSpace(uri))
            throw new DatasetException("No dataset URI was given; use local:/path, hf:owner/name or synth:<task>.");
        var location = SyntheticDatasetUri.IsSynthetic(uri) ? SyntheticDatasetUri.Parse(uri).Resolve(options.SyntheticCacheDirectory) : uri;
        var dataset = LeRobotDataset.Open(location);
        try
        {
            var episodes = EpisodeSplit.Create(dataset.Episodes.Select(e => e.EpisodeIndex), options.HeldOutFraction, options.SplitSeed);
            var chosen = split == DatasetSplit.Train ? episodes.Train : episodes.HeldOut;
            if (chosen.Count == 0)
                throw new DatasetException(
                    $"Dataset '{uri}' has {dataset.Episodes.Count} episode(s), which leaves its {split} split empty " +
                    $"(held-out fraction {options.HeldOutFraction}). Record more episodes or change PolicyData:HeldOutFraction.");
            return new LeRobotPolicyDataset(dataset, chosen, Features(uri, dataset));
        }
        catch
        {
            dataset.Dispose();
            throw;
        }
    }

    private PolicyFeatures Features(string uri, LeRobotDataset dataset)
    {
        var state = dataset.Info.Find(LeRobotPolicyDataset.StateKey)
            ?? throw new DatasetException($"Dataset '{uri}' has no '{LeRobotPolicyDataset.StateKey}' feature; a policy needs the robot state.");
        var action = dataset.Info.Find(LeRobotPolicyDataset.ActionKey)
            ?? throw new DatasetException($"Dataset '{uri}' has no '{LeRobotPolicyDataset.ActionKey}' feature; a policy learns to predict it.");
        var cameras = dataset.Cameras
            .Select(c => new CameraFeature(c.Key, c.ImageSize.Height, c.ImageSize.Width))
            .ToList();
        return new PolicyFeatures(state.Size, action.Size, options.ChunkSize, cameras);
    }
}
