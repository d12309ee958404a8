namespace Zk0.Datasets.Simulation;

/// <summary>
/// The simulated arm's six joints in SO-100 order. States and actions are in the units recent
/// SO-100/SO-101 recordings use: degrees for the five joints, 0 (closed) .. 100 (open) for the gripper.
/// </summary>
public static class ArmJoints
{
    public const int Count = 6;
    public const int ShoulderPan = 0;
    public const int ShoulderLift = 1;
    public const int ElbowFlex = 2;
    public const int WristFlex = 3;
    public const int WristRoll = 4;
    public const int Gripper = 5;

    /// <summary>Names written into a dataset's <c>names</c> for state and action, as lerobot-record writes them for SO-100.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["shoulder_pan.pos", "shoulder_lift.pos", "elbow_flex.pos", "wrist_flex.pos", "wrist_roll.pos", "gripper.pos"];

    public static IReadOnlyList<float> LowerLimits { get; } = [-120f, -10f, -170f, -150f, -180f, 0f];
    public static IReadOnlyList<float> UpperLimits { get; } = [120f, 175f, 10f, 150f, 180f, 100f];

    public static float Clamp(int joint, float value) => Math.Clamp(value, LowerLimits[joint], UpperLimits[joint]);
}
