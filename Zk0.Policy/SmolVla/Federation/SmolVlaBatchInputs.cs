using Zk0.Policy.Abstractions;
using Zk0.Policy.SmolVla.Embeddings;
using Zk0.Policy.Tokenization;
using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Federation;

/// <summary>
/// A federation <see cref="PolicyBatch"/> on the policy's device (state and actions already normalized by the dataset loader,
/// images in [0, 1] from <see cref="PolicyBatch.To"/>)
/// as SmolVLA network inputs: the policy's own image / state / action preparation and LeRobot's language step. Dataset
/// cameras are matched to the configuration's cameras by key, or else by position (a checkpoint's <c>camera1</c>, ...).
/// </summary>
public sealed class SmolVlaBatchInputs(SmolVlaPolicy policy, LanguageTokenizer tokenizer, PolicyFeatures features)
{
    private readonly IReadOnlyList<(string DatasetKey, string ConfigKey)> _cameras = MatchCameras(policy.Config, features);

    /// <summary>The network inputs and padded actions; created in the caller's dispose scope.</summary>
    public (PolicyInputs Inputs, Tensor Actions) Prepare(PolicyBatch batch) =>
        (Inputs(batch.State, batch.Images, batch.Tasks), policy.Preprocessor.PrepareActions(batch.Actions));

    /// <summary>The network inputs of an observation (no actions); created in the caller's dispose scope.</summary>
    public PolicyInputs Prepare(PolicyObservation observation) => Inputs(observation.State, observation.Images, observation.Tasks);

    private PolicyInputs Inputs(Tensor state, IReadOnlyDictionary<string, Tensor> cameraImages, IReadOnlyList<string> tasks)
    {
        var named = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (datasetKey, configKey) in _cameras)
        {
            named[configKey] = cameraImages.TryGetValue(datasetKey, out var image)
                ? image
                : throw new ArgumentException($"The input has no image for camera '{datasetKey}' that the policy was built with (has: {string.Join(", ", cameraImages.Keys)}).");
        }
        var preprocessor = policy.Preprocessor;
        var images = preprocessor.PrepareImages(named);
        var (tokens, mask) = tokenizer.Tokenize(tasks).ToTensors(state.device);
        return new PolicyInputs(images.Images, images.Masks, tokens, mask, preprocessor.PrepareState(state));
    }

    private static List<(string, string)> MatchCameras(Configuration.SmolVlaConfig config, PolicyFeatures features)
    {
        var configured = config.ImageFeatureNames.ToList();
        var datasetKeys = features.Cameras.Select(c => c.Key).ToList();
        if (datasetKeys.All(configured.Contains))
            return datasetKeys.Select(k => (k, k)).ToList();
        if (datasetKeys.Count > configured.Count)
            throw new ArgumentException(
                $"The dataset has {datasetKeys.Count} camera(s) ({string.Join(", ", datasetKeys)}) but the SmolVLA configuration only " +
                $"{configured.Count} ({string.Join(", ", configured)}); use a checkpoint configured for these cameras.");
        return datasetKeys.Select((k, i) => (k, configured[i])).ToList();
    }
}
