using Zk0.Datasets.Frames;
using Zk0.Datasets.Samples;
using Zk0.Policy.Abstractions.Data;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// Between a robot (or simulator) and a policy: raw state and 8-bit camera frames become a <see cref="PolicyObservation"/>
/// exactly as training batches are made of recorded frames (the dataset's normalizer on the state, the HWC bytes as
/// <see cref="CameraImageTensor"/> frames that the policy's <see cref="PolicyObservation.To"/> turns into CHW floats v / 255), and a predicted chunk is un-normalized back to the dataset's action units.
/// </summary>
public sealed class RobotUnits(PolicyFeatures features, Normalizer normalization)
{
    public PolicyFeatures Features { get; } = features;

    /// <summary>One observation (batch of 1) from raw state, frames keyed by dataset camera key, and the task text.</summary>
    public PolicyObservation Observation(ReadOnlySpan<float> state, IReadOnlyDictionary<string, RgbFrame> images, string task)
    {
        if (state.Length != Features.StateDim)
            throw new ArgumentException($"The robot state has {state.Length} values but the policy was built for {Features.StateDim}.", nameof(state));
        var normalized = state.ToArray();
        normalization.Normalize(LeRobotPolicyDataset.StateKey, normalized);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var camera in Features.Cameras)
                tensors[camera.Key] = Image(camera, images);
            return new PolicyObservation { State = tensor(normalized, [1, Features.StateDim]), CameraFrames = tensors, Tasks = [task] };
        }
        catch
        {
            foreach (var image in tensors.Values) image.Dispose();
            throw;
        }
    }

    /// <summary>The first sample of a chunk [B, T, ActionDim] in the batches' units, as T actions in the dataset's units.</summary>
    public float[][] Actions(Tensor chunk)
    {
        if (chunk.ndim != 3 || chunk.shape[2] != Features.ActionDim)
            throw new ArgumentException($"An action chunk must be shaped [B, T, {Features.ActionDim}]; got [{string.Join(", ", chunk.shape)}].", nameof(chunk));
        using var first = chunk[0].to(ScalarType.Float32, CPU).contiguous();
        var values = first.data<float>().ToArray();
        normalization.Unnormalize(LeRobotPolicyDataset.ActionKey, values);
        return values.Chunk(Features.ActionDim).ToArray();
    }

    /// <summary>The policy's action chunk for one raw observation, in the dataset's action units.</summary>
    public float[][] Predict(IFederatedPolicy policy, ReadOnlySpan<float> state, IReadOnlyDictionary<string, RgbFrame> images, string task, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(policy);
        using var observation = Observation(state, images, task);
        using var chunk = policy.PredictActionChunk(observation, generator);
        return Actions(chunk);
    }

    private static Tensor Image(CameraFeature camera, IReadOnlyDictionary<string, RgbFrame> images)
    {
        if (!images.TryGetValue(camera.Key, out var frame))
            throw new ArgumentException($"The observation has no image for camera '{camera.Key}' (has: {string.Join(", ", images.Keys)}).", nameof(images));
        if (frame.Width != camera.Width || frame.Height != camera.Height || camera.Channels != 3)
            throw new ArgumentException(
                $"Camera '{camera.Key}' gives {frame.Width}x{frame.Height} RGB images but the policy was built for {camera.Width}x{camera.Height} with {camera.Channels} channels, as the dataset recorded them.",
                nameof(images));
        return CameraImageTensor.Frames(frame.Pixels, [1, frame.Height, frame.Width, 3]);
    }
}
