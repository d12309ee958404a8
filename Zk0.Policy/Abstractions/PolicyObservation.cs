using System.Diagnostics.CodeAnalysis;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// What a policy acts on at one moment, in the units of a <see cref="PolicyBatch"/>: <c>State</c> float32 [B, StateDim]
/// normalized as the dataset loader normalizes it, <c>CameraFrames</c> camera key → the 8-bit uint8 [B, H, W, 3], and the
/// task text of each sample. As with a batch, a policy reads it through <see cref="To"/>, whose copy has <c>Images</c>
/// float32 [B, C, H, W] in [0, 1] made on the policy's device. The observation owns its tensors.
/// </summary>
public sealed class PolicyObservation : IDisposable
{
    private readonly CameraInputs? _cameras;

    public PolicyObservation()
    {
    }

    // A moved observation has Images in place of CameraFrames (whose getter says so), hence no frames set here.
#pragma warning disable CS8618
    [SetsRequiredMembers]
    private PolicyObservation(PolicyObservation observation, Device device)
    {
        State = observation.State.to(device);
        Tasks = observation.Tasks;
        _cameras = observation._cameras!.To(device);
    }
#pragma warning restore CS8618

    public required Tensor State { get; init; }

    public required IReadOnlyDictionary<string, Tensor> CameraFrames
    {
        get => _cameras!.Frames;
        init => _cameras = CameraInputs.OfFrames("observation", value);
    }

    public IReadOnlyDictionary<string, Tensor> Images => _cameras!.Images;

    public required IReadOnlyList<string> Tasks { get; init; }

    public int Size => (int)State.shape[0];

    /// <summary>
    /// The observation on <paramref name="device"/> with float <see cref="Images"/> (also for the CPU): new tensors, inside
    /// the caller's dispose scope. This observation keeps its own.
    /// </summary>
    public PolicyObservation To(Device device) => new(this, device);

    public void Dispose()
    {
        State.Dispose();
        _cameras?.Dispose();
    }
}
