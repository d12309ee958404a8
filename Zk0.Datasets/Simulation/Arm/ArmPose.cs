using System.Numerics;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// Where the arm's parts are for one joint configuration (world frame: x forward from the base,
/// y to the arm's left, z up, metres). <see cref="ToolDirection"/> points from the wrist to the
/// fingertips; <see cref="JawAxis"/> is the direction along which the jaws open.
/// </summary>
public sealed record ArmPose(
    Vector3 Base,
    Vector3 Shoulder,
    Vector3 Elbow,
    Vector3 Wrist,
    Vector3 Tip,
    Vector3 ToolDirection,
    Vector3 JawAxis,
    float JawOpening)
{
    /// <summary>Yaw of the jaw axis around world z, degrees.</summary>
    public float JawYawDegrees => MathF.Atan2(JawAxis.Y, JawAxis.X) * 180f / MathF.PI;
}
