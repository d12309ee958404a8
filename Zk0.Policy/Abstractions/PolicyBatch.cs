using TorchSharp;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// One batch in the layout every policy type consumes (LeRobot's feature names in spirit):
/// <list type="bullet">
/// <item><c>State</c> float32 [B, StateDim]</item>
/// <item><c>Images</c> camera key → float32 [B, C, H, W] with values in [0, 1]</item>
/// <item><c>Actions</c> float32 [B, ChunkSize, ActionDim], the recorded action chunk starting at the frame</item>
/// <item><c>ActionIsPad</c> bool [B, ChunkSize], true where the chunk ran past the episode's end</item>
/// <item><c>Tasks</c> the task text of each sample (language-conditioned policies read it)</item>
/// </list>
/// The batch owns its tensors; a policy that consumes a batch disposes it.
/// </summary>
public sealed class PolicyBatch : IDisposable
{
    public required Tensor State { get; init; }
    public required IReadOnlyDictionary<string, Tensor> Images { get; init; }
    public required Tensor Actions { get; init; }
    public required Tensor ActionIsPad { get; init; }
    public required IReadOnlyList<string> Tasks { get; init; }

    public int Size => (int)State.shape[0];

    /// <summary>The batch itself when <paramref name="device"/> is the CPU; otherwise copies on the device (inside the caller's dispose scope).</summary>
    public PolicyBatch To(Device device) =>
        device.type == DeviceType.CPU
            ? this
            : new PolicyBatch
            {
                State = State.to(device),
                Images = Images.ToDictionary(i => i.Key, i => i.Value.to(device)),
                Actions = Actions.to(device),
                ActionIsPad = ActionIsPad.to(device),
                Tasks = Tasks,
            };

    public void Dispose()
    {
        State.Dispose();
        foreach (var image in Images.Values) image.Dispose();
        Actions.Dispose();
        ActionIsPad.Dispose();
    }
}
