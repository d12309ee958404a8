using TorchSharp;
using TorchSharp.Modules;
using Zk0.Policy.Abstractions;
using static TorchSharp.torch;

namespace Zk0.Policy.BehaviourCloning;

/// <summary>
/// A small real policy: a conv encoder with keypoints per camera (weights shared across cameras), an MLP over the
/// robot state and a bag of words of the task instruction, concatenated and mapped to a whole action chunk. Loss: mean squared error over the
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
    private readonly InstructionEncoder? instruction;

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
        hidden = nn.Linear(settings.StateHidden + imageFeatures + settings.InstructionFeatures, settings.Hidden);
        head = nn.Linear(settings.Hidden, features.ChunkSize * features.ActionDim);
        if (settings.InstructionFeatures > 0) instruction = new InstructionEncoder(settings.InstructionFeatures);
        RegisterComponents();
    }

    public override Tensor PredictActionChunk(PolicyObservation observation, Generator generator) =>
        PredictActionChunk(observation.State, observation.Images, observation.Tasks);

    /// <summary>Shifted at random while training, as they are; untouched when evaluating.</summary>
    private IReadOnlyDictionary<string, Tensor> Augmented(IReadOnlyDictionary<string, Tensor> images, Generator generator) =>
        training && _shiftPixels > 0 ? images.ToDictionary(i => i.Key, i => RandomShift.Apply(i.Value, _shiftPixels, generator)) : images;

    private Tensor PredictActionChunk(Tensor robotState, IReadOnlyDictionary<string, Tensor> cameraImages, IReadOnlyList<string> tasks)
    {
        var parts = new List<Tensor> { nn.functional.relu(state.forward(robotState)) };
        if (instruction is not null)
        {
            if (tasks.Count != robotState.shape[0])
                throw new ArgumentException($"The batch has {robotState.shape[0]} states but {tasks.Count} task instructions; each sample needs its instruction.");
            parts.Add(instruction.forward(InstructionEncoder.BagOfWords(tasks, robotState.device)));
        }
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
        var predicted = PredictActionChunk(batch.State, Augmented(batch.Images, generator), batch.Tasks);
        var valid = batch.ActionIsPad.logical_not().unsqueeze(-1).to(predicted.dtype);
        var squaredError = (predicted - batch.Actions).pow(KeptScalars.IntTwo) * valid;
        var count = (valid.sum() * _actionDim).clamp_min(KeptScalars.DoubleOne);
        return squaredError.sum() / count;
    }
}
