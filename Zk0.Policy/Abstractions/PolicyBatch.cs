using System.Diagnostics.CodeAnalysis;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// One batch in the layout every policy type consumes (LeRobot's feature names in spirit):
/// <list type="bullet">
/// <item><c>State</c> float32 [B, StateDim]</item>
/// <item><c>CameraFrames</c> camera key → the recorded uint8 [B, H, W, 3] (or [B, T, H, W, 3]), as a dataset delivers them</item>
/// <item><c>Images</c> camera key → float32 [B, C, H, W] (or [B, T, C, H, W]) with values in [0, 1], only on the batch
/// <see cref="To"/> returns</item>
/// <item><c>Actions</c> float32 [B, ChunkSize, ActionDim], the recorded action chunk starting at the frame</item>
/// <item><c>ActionIsPad</c> bool [B, ChunkSize], true where the chunk ran past the episode's end</item>
/// <item><c>Tasks</c> the task text of each sample (language-conditioned policies read it)</item>
/// </list>
/// A policy reads a batch only through <see cref="To"/>: the bytes travel to its device, a quarter of the floats' size, and
/// become floats there. A batch has either frames or images, so a policy cannot read bytes by mistake.
/// The batch owns its tensors; a policy that consumes a batch disposes it.
/// </summary>
public sealed class PolicyBatch : IDisposable
{
    private readonly CameraInputs? _cameras;

    public PolicyBatch()
    {
    }

    // A moved batch has Images in place of CameraFrames (whose getter says so), hence no frames set here.
#pragma warning disable CS8618
    [SetsRequiredMembers]
    private PolicyBatch(PolicyBatch batch, Device device)
    {
        State = batch.State.to(device);
        Actions = batch.Actions.to(device);
        ActionIsPad = batch.ActionIsPad.to(device);
        Tasks = batch.Tasks;
        _cameras = batch._cameras!.To(device);
    }
#pragma warning restore CS8618

    public required Tensor State { get; init; }

    public required IReadOnlyDictionary<string, Tensor> CameraFrames
    {
        get => _cameras!.Frames;
        init => _cameras = CameraInputs.OfFrames("batch", value);
    }

    public IReadOnlyDictionary<string, Tensor> Images => _cameras!.Images;

    public required Tensor Actions { get; init; }
    public required Tensor ActionIsPad { get; init; }
    public required IReadOnlyList<string> Tasks { get; init; }

    public int Size => (int)State.shape[0];

    /// <summary>
    /// The batch on <paramref name="device"/> with float <see cref="Images"/> (also for the CPU): new tensors, inside the
    /// caller's dispose scope. This batch keeps its own.
    /// </summary>
    public PolicyBatch To(Device device) => new(this, device);

    public void Dispose()
    {
        State.Dispose();
        _cameras?.Dispose();
        Actions.Dispose();
        ActionIsPad.Dispose();
    }
}
