using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Simulation;

/// <summary>What a policy sees at one step: joint state, camera images by camera name, and the language instruction.</summary>
public sealed record SimObservation(float[] State, IReadOnlyDictionary<string, RgbFrame> Images, string Instruction)
{
    /// <summary>The images keyed as a synthetic dataset stores them (<c>observation.images.{camera}</c>), for a policy trained on one.</summary>
    public IReadOnlyDictionary<string, RgbFrame> ImagesByFeatureKey() =>
        Images.ToDictionary(kv => DemonstrationRecorder.FeatureKey(kv.Key), kv => kv.Value, StringComparer.Ordinal);
}
