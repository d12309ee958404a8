namespace Zk0.Datasets.Simulation;

/// <summary>Everything the renderer draws at one instant.</summary>
internal readonly record struct SceneSnapshot(ArmPose Pose, CubeState Cube, SimTask Task);
