namespace Zk0.Datasets.Samples;

/// <summary>One camera's frames for one batch, in the order of the batch's query rows: each frame HWC, stacked.</summary>
public sealed record BatchFrames(byte[] Data, int Height, int Width)
{
    public int FrameBytes => Height * Width * 3;
}
