namespace Zk0.Datasets.Simulation;

/// <summary>How the simulator runs and what it renders. Every value has a default that matches an SO-100 recording at small image size.</summary>
public sealed record SimulatorOptions
{
    public int Fps { get; init; } = 30;
    public int ImageWidth { get; init; } = 128;
    public int ImageHeight { get; init; } = 96;
    public IReadOnlyList<string> Cameras { get; init; } = [SimCameras.Top, SimCameras.Wrist];
    public ArmGeometry Geometry { get; init; } = ArmGeometry.So100Like;

    /// <summary>Servo speed limit of the five arm joints.</summary>
    public float MaxJointSpeedDegreesPerSecond { get; init; } = 200f;

    /// <summary>Speed limit of the gripper in its 0..100 range.</summary>
    public float MaxGripperSpeedPerSecond { get; init; } = 300f;

    /// <summary>Time constant of the position servos' first-order response to a new target.</summary>
    public float ServoTimeConstantSeconds { get; init; } = 0.05f;

    public static SimulatorOptions Default { get; } = new();

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (Fps is < 1 or > 1000)
            throw new ArgumentException($"Simulator Fps must be between 1 and 1000, got {Fps}.");
        if (ImageWidth is < 16 or > 2048 || ImageHeight is < 16 or > 2048)
            throw new ArgumentException($"Simulator image size must be between 16 and 2048 pixels per side, got {ImageWidth}x{ImageHeight}.");
        if (Cameras.Count == 0)
            throw new ArgumentException($"Simulator needs at least one camera; known cameras: {string.Join(", ", SimCameras.All)}.");
        foreach (var camera in Cameras.Where(c => !SimCameras.IsKnown(c)))
            throw new ArgumentException($"Unknown simulator camera '{camera}'; known cameras: {string.Join(", ", SimCameras.All)}.");
        if (Cameras.Distinct(StringComparer.Ordinal).Count() != Cameras.Count)
            throw new ArgumentException($"Simulator cameras are listed twice: {string.Join(", ", Cameras)}.");
        if (MaxJointSpeedDegreesPerSecond <= 0f || MaxGripperSpeedPerSecond <= 0f || ServoTimeConstantSeconds < 0f)
            throw new ArgumentException("Simulator servo speeds must be positive and the servo time constant not negative.");
    }
}
