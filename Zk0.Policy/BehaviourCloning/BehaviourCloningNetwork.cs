using TorchSharp;
using TorchSharp.Modules;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.BehaviourCloning;

/// <summary>
/// A small real policy: a conv encoder with keypoints per camera (weights shared across cameras) and an MLP over the
/// robot state, concatenated and mapped to a whole action chunk. Loss: mean squared error over the
/// action elements that are not padding.
/// </summary>
public sealed class BehaviourCloningNetwork : PolicyModule
{
    private readonly PolicyFeatures _features;
    private readonly int _shiftPixels;
    private readonly Scalar _actionDim;
    private readonly ImageEncoder? images;
    private readonly Linear state;
    private readonly Linear hidden;
    private readonly Linear head;

    public BehaviourCloningNetwork(PolicyFeatures features, BehaviourCloningSettings settings) : base(nameof(BehaviourCloningNetwork))
    {
        _features = features;
        _actionDim = features.ActionDim.ToScalar();
        _shiftPixels = settings.ShiftPixels;
        var imageFeatures = 0;
        if (features.Cameras.Count > 0)
        {
            images = new ImageEncoder(features.Cameras[0].Channels, settings.ConvChannels, settings.Keypoints);
            imageFeatures = images.OutputSize * features.Cameras.Count;
        }
        state = nn.Linear(features.StateDim, settings.StateHidden);
        hidden = nn.Linear(settings.StateHidden + imageFeatures, settings.Hidden);
        head = nn.Linear(settings.Hidden, features.ChunkSize * features.ActionDim);
        RegisterComponents();
    }

    public override Tensor PredictActionChunk(PolicyObservation observation, Generator generator) =>
        PredictActionChunk(observation.State, observation.Images);

    /// <summary>Shifted at random while training, as they are; untouched when evaluating.</summary>
    private IReadOnlyDictionary<string, Tensor> Augmented(IReadOnlyDictionary<string, Tensor> images, Generator generator) =>
        training && _shiftPixels > 0 ? images.ToDictionary(i => i.Key, i => RandomShift.Apply(i.Value, _shiftPixels, generator)) : images;

    private Tensor PredictActionChunk(Tensor robotState, IReadOnlyDictionary<string, Tensor> cameraImages)
    {
        var parts = new List<Tensor> { nn.functional.relu(state.forward(robotState)) };
        if (images is not null)
        {
            foreach (var camera in _features.Cameras)
            {
                if (!cameraImages.TryGetValue(camera.Key, out var image))
                    throw new ArgumentException($"Batch has no image for camera '{camera.Key}' that the policy was built with.");
                parts.Add(images.forward(image));
            }
        }
        var x = nn.functional.relu(hidden.forward(cat(parts, 1)));
        return head.forward(x).view(-1, _features.ChunkSize, _features.ActionDim);
    }

    public override Tensor ComputeLoss(PolicyBatch batch, Generator generator)
    {
        var predicted = PredictActionChunk(batch.State, Augmented(batch.Images, generator));
        var valid = batch.ActionIsPad.logical_not().unsqueeze(-1).to(predicted.dtype);
        var squaredError = (predicted - batch.Actions).pow(KeptScalars.IntTwo) * valid;
        var count = (valid.sum() * _actionDim).clamp_min(KeptScalars.DoubleOne);
        return squaredError.sum() / count;
    }
}
