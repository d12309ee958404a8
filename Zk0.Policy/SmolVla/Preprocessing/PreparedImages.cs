using static TorchSharp.torch;

namespace Zk0.Policy.SmolVla.Preprocessing;

/// <summary>Per camera, in configuration order: the [-1, 1] image [B, C, H, W] and its presence mask [B] (bool).</summary>
public sealed record PreparedImages(IReadOnlyList<Tensor> Images, IReadOnlyList<Tensor> Masks);
