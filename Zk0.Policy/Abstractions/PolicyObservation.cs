using TorchSharp;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// What a policy acts on at one moment, in the units of a <see cref="PolicyBatch"/>: <c>State</c> float32 [B, StateDim]
/// normalized as the dataset loader normalizes it, <c>Images</c> camera key → float32 [B, C, H, W] in [0, 1], and the
/// task text of each sample. The observation owns its tensors.
/// </summary>
public sealed class PolicyObservation : IDisposable
{
    public required Tensor State { get; init; }
    public required IReadOnlyDictionary<string, Tensor> Images { get; init; }
    public required IReadOnlyList<string> Tasks { get; init; }

    public int Size => (int)State.shape[0];

    /// <summary>The observation itself when <paramref name="device"/> is the CPU; otherwise copies on the device (inside the caller's dispose scope).</summary>
    public PolicyObservation To(Device device) =>
        device.type == DeviceType.CPU
            ? this
            : new PolicyObservation
            {
                State = State.to(device),
                Images = Images.ToDictionary(i => i.Key, i => i.Value.to(device)),
                Tasks = Tasks,
            };

    public void Dispose()
    {
        State.Dispose();
        foreach (var image in Images.Values) image.Dispose();
    }
}
