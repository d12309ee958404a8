namespace Zk0.Datasets.Simulation;

/// <summary>
/// Camera names the simulator renders. Datasets store them as <c>observation.images.{name}</c>,
/// like the SO-100 community recordings (<c>top</c> + <c>wrist</c>).
/// </summary>
public static class SimCameras
{
    /// <summary>Looks down at the table from above the workspace, the robot's base at the bottom of the image.</summary>
    public const string Top = "top";

    /// <summary>Mounted on the gripper, looking along the fingers.</summary>
    public const string Wrist = "wrist";

    /// <summary>Faces the robot from across the table.</summary>
    public const string Front = "front";

    public static IReadOnlyList<string> All { get; } = [Top, Wrist, Front];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
