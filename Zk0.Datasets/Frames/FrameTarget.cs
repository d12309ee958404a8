namespace Zk0.Datasets.Frames;

/// <summary>
/// Where a reader writes the frame of query <paramref name="index"/>, asked once the frame's size is known: exactly
/// width × height × 3 bytes (RGB, HWC) of the caller's memory, such as a slot of a batch's image array, so a decoded
/// frame needs no array of its own on the way.
/// </summary>
public delegate Span<byte> FrameTarget(int index, int width, int height);
