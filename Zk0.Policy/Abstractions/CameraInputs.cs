using Zk0.Policy.Abstractions.Data;
using static TorchSharp.torch;

namespace Zk0.Policy.Abstractions;

/// <summary>
/// The cameras of a <see cref="PolicyBatch"/> or <see cref="PolicyObservation"/>: the recorded uint8 frames as loaded, or,
/// on the copy <c>To(device)</c> makes, the float images made from them on that device. Exactly one of the two exists, so
/// a policy cannot read bytes by mistake; asking for the other says which call was missing.
/// </summary>
internal sealed class CameraInputs : IDisposable
{
    private readonly string _owner;
    private readonly IReadOnlyDictionary<string, Tensor>? _frames;
    private readonly IReadOnlyDictionary<string, Tensor>? _images;

    private CameraInputs(string owner, IReadOnlyDictionary<string, Tensor>? frames, IReadOnlyDictionary<string, Tensor>? images) =>
        (_owner, _frames, _images) = (owner, frames, images);

    /// <param name="owner">"batch" or "observation", for the messages</param>
    public static CameraInputs OfFrames(string owner, IReadOnlyDictionary<string, Tensor> frames) => new(owner, frames, null);

    public IReadOnlyDictionary<string, Tensor> Frames =>
        _frames ?? throw new InvalidOperationException($"This {_owner} came from To(device): its camera frames are Images now.");

    public IReadOnlyDictionary<string, Tensor> Images =>
        _images ?? throw new InvalidOperationException($"The camera images of a {_owner} are float only on its To(device) copy; call To(device) first.");

    /// <summary>Float images on <paramref name="device"/>, made from these frames (new tensors, in the caller's dispose scope).</summary>
    public CameraInputs To(Device device) =>
        new(_owner, null, Frames.ToDictionary(f => f.Key, f => CameraImageTensor.Images(f.Value, device)));

    public void Dispose()
    {
        foreach (var tensor in (_frames ?? _images)!.Values) tensor.Dispose();
    }
}
