using System.Numerics;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// Forward and inverse kinematics of a 5-DOF SO-100-like arm: a base yaw (shoulder pan), three
/// pitch joints in the vertical plane the pan selects (shoulder lift, elbow flex, wrist flex) and a
/// roll around the tool axis. Shoulder lift is the upper arm's elevation above horizontal; elbow and
/// wrist angles are relative to the previous link, so the tool pitch is lift + elbow + wrist.
/// </summary>
public sealed class ArmKinematics(ArmGeometry geometry)
{
    private const float DegToRad = MathF.PI / 180f;
    private const float RadToDeg = 180f / MathF.PI;

    public ArmGeometry Geometry { get; } = geometry;

    public ArmPose Forward(ReadOnlySpan<float> joints)
    {
        if (joints.Length < ArmJoints.Count)
            throw new ArgumentException($"Forward kinematics needs {ArmJoints.Count} joint values, got {joints.Length}.", nameof(joints));

        var pan = joints[ArmJoints.ShoulderPan] * DegToRad;
        var a1 = joints[ArmJoints.ShoulderLift] * DegToRad;
        var a2 = a1 + joints[ArmJoints.ElbowFlex] * DegToRad;
        var a3 = a2 + joints[ArmJoints.WristFlex] * DegToRad;
        var roll = joints[ArmJoints.WristRoll] * DegToRad;

        var radial = new Vector3(MathF.Cos(pan), MathF.Sin(pan), 0f);
        Vector3 InPlane(float r, float z) => radial * r + new Vector3(0f, 0f, z);

        var g = Geometry;
        var shoulder = new Vector3(0f, 0f, g.ShoulderHeight);
        var elbow = shoulder + InPlane(g.UpperArm * MathF.Cos(a1), g.UpperArm * MathF.Sin(a1));
        var wrist = elbow + InPlane(g.Forearm * MathF.Cos(a2), g.Forearm * MathF.Sin(a2));
        var tool = InPlane(MathF.Cos(a3), MathF.Sin(a3));
        var tip = wrist + tool * g.WristToTip;

        // Roll turns the jaw axis around the tool axis, starting from the horizontal side direction.
        var side = new Vector3(-MathF.Sin(pan), MathF.Cos(pan), 0f);
        var inPlaneNormal = Vector3.Cross(tool, side);
        var jaw = Vector3.Normalize(side * MathF.Cos(roll) + inPlaneNormal * MathF.Sin(roll));
        var opening = Math.Clamp(joints[ArmJoints.Gripper], 0f, 100f) / 100f * g.MaxJawOpening;

        return new ArmPose(Vector3.Zero, shoulder, elbow, wrist, tip, tool, jaw, opening);
    }

    /// <summary>
    /// Joint angles that put the fingertips at <paramref name="tip"/> with the tool pitched at
    /// <paramref name="toolPitchDegrees"/> (-90 = pointing straight down) and the jaws at
    /// <paramref name="jawYawDegrees"/> around world z (meaningful when pointing down), elbow up.
    /// Targets out of reach are pulled back onto the reachable shell. The gripper slot is set to
    /// <paramref name="gripper"/>.
    /// </summary>
    public float[] Inverse(Vector3 tip, float jawYawDegrees, float gripper, float toolPitchDegrees = -90f)
    {
        var g = Geometry;
        var pan = MathF.Atan2(tip.Y, tip.X);
        var r = MathF.Sqrt(tip.X * tip.X + tip.Y * tip.Y);
        var pitch = toolPitchDegrees * DegToRad;

        var wristR = r - g.WristToTip * MathF.Cos(pitch);
        var wristZ = tip.Z - g.WristToTip * MathF.Sin(pitch) - g.ShoulderHeight;
        var reach = MathF.Sqrt(wristR * wristR + wristZ * wristZ);
        var minReach = MathF.Abs(g.UpperArm - g.Forearm) + 1e-3f;
        var maxReach = g.UpperArm + g.Forearm - 1e-4f;
        var clampedReach = Math.Clamp(reach, minReach, maxReach);
        var cosElbow = (clampedReach * clampedReach - g.UpperArm * g.UpperArm - g.Forearm * g.Forearm)
                       / (2f * g.UpperArm * g.Forearm);
        var elbow = -MathF.Acos(Math.Clamp(cosElbow, -1f, 1f));
        var lift = MathF.Atan2(wristZ, wristR)
                   - MathF.Atan2(g.Forearm * MathF.Sin(elbow), g.UpperArm + g.Forearm * MathF.Cos(elbow));
        var wristFlex = pitch - lift - elbow;

        // With the tool pointing down the jaw yaw is pan + 90° - roll; jaws are symmetric, so any
        // roll that differs by 180° is the same grasp: take the one nearest zero.
        var roll = WrapDegrees(pan * RadToDeg + 90f - jawYawDegrees);
        if (roll > 90f) roll -= 180f;
        if (roll < -90f) roll += 180f;

        return
        [
            pan * RadToDeg,
            lift * RadToDeg,
            elbow * RadToDeg,
            WrapDegrees(wristFlex * RadToDeg),
            roll,
            gripper,
        ];
    }

    public static float WrapDegrees(float degrees)
    {
        var wrapped = (degrees + 180f) % 360f;
        if (wrapped < 0f) wrapped += 360f;
        return wrapped - 180f;
    }
}
