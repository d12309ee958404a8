using System.Numerics;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// When closing jaws catch the cube, and where a held cube sits relative to the fingers. The jaws
/// catch it when its centre lies between the fingertips (within finger length along the tool) and
/// within the gap the jaws closed from, and its faces are within <see cref="MaxAlignmentErrorDegrees"/>
/// of the jaws. As with a real parallel gripper, closing jaws push a cube that sits off-centre in that
/// gap to the middle and square up one that is turned by less than the limit.
/// </summary>
internal static class Grasp
{
    public const float FingerLength = 0.035f;
    public const float MaxAlignmentErrorDegrees = 35f;

    /// <summary>Gripper value (0..100) at which the jaws touch a cube's faces.</summary>
    public static float ContactGripperValue(ArmGeometry geometry) => Tabletop.CubeSize / geometry.MaxJawOpening * 100f;

    /// <param name="closedFromGripper">The widest the jaws were (gripper 0..100) since they last held or touched something.</param>
    public static bool CubeBetweenJaws(ArmPose pose, CubeState cube, ArmGeometry geometry, float closedFromGripper)
    {
        if (pose.ToolDirection.Z > -0.8f) return false; // only top-down grasps

        var offset = ToToolFrame(pose, cube.Center - pose.Tip);
        var alongFingers = offset.X;
        var acrossJaws = offset.Y;
        var sideways = offset.Z;
        if (alongFingers < -FingerLength || alongFingers > 0.006f) return false;
        var gap = closedFromGripper / 100f * geometry.MaxJawOpening;
        if (MathF.Abs(acrossJaws) > (gap - Tabletop.CubeSize) / 2f || MathF.Abs(sideways) > Tabletop.CubeSize / 2f) return false;

        var misalignment = MathF.Abs(ArmKinematics.WrapDegrees(pose.JawYawDegrees - cube.YawDegrees));
        misalignment %= 90f;
        return Math.Min(misalignment, 90f - misalignment) <= MaxAlignmentErrorDegrees;
    }

    /// <summary>Coordinates of a world vector along (tool direction, jaw axis, their cross product).</summary>
    public static Vector3 ToToolFrame(ArmPose pose, Vector3 world)
    {
        var third = Vector3.Cross(pose.ToolDirection, pose.JawAxis);
        return new Vector3(Vector3.Dot(world, pose.ToolDirection), Vector3.Dot(world, pose.JawAxis), Vector3.Dot(world, third));
    }

    public static Vector3 FromToolFrame(ArmPose pose, Vector3 tool)
    {
        var third = Vector3.Cross(pose.ToolDirection, pose.JawAxis);
        return pose.ToolDirection * tool.X + pose.JawAxis * tool.Y + third * tool.Z;
    }
}
