namespace Zk0.Policy.Abstractions;

/// <summary>A camera the policy sees: its dataset key (e.g. <c>observation.images.front</c>) and the image size fed to the policy.</summary>
public sealed record CameraFeature(string Key, int Height, int Width, int Channels = 3);

/// <summary>
/// The shapes a policy is built for, taken from the dataset: robot state, action, the action chunk it
/// predicts and the cameras. Every node of a run must agree on them, or their updates cannot be averaged.
/// </summary>
public sealed record PolicyFeatures(int StateDim, int ActionDim, int ChunkSize, IReadOnlyList<CameraFeature> Cameras)
{
    public void Validate()
    {
        if (StateDim <= 0) throw new ArgumentException($"Policy features: state dimension must be positive, got {StateDim}.");
        if (ActionDim <= 0) throw new ArgumentException($"Policy features: action dimension must be positive, got {ActionDim}.");
        if (ChunkSize <= 0) throw new ArgumentException($"Policy features: action chunk size must be positive, got {ChunkSize}.");
        foreach (var camera in Cameras)
        {
            if (camera.Height <= 0 || camera.Width <= 0 || camera.Channels <= 0)
                throw new ArgumentException($"Policy features: camera '{camera.Key}' has an invalid size {camera.Channels}x{camera.Height}x{camera.Width}.");
        }
    }
}
