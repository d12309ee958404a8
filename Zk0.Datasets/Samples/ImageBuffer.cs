namespace Zk0.Datasets.Samples;

/// <summary>
/// Camera images as recorded: 8-bit RGB, HWC, stacked as [B, H, W, C] or, with delta_timestamps, [B, T, H, W, C]. The
/// policy side turns them into float CHW tensors, so batches carry a quarter of the bytes floats would.
/// </summary>
public sealed record ImageBuffer(byte[] Data, int[] Shape)
{
    public override string ToString() => $"uint8[{string.Join(", ", Shape)}]";
}
