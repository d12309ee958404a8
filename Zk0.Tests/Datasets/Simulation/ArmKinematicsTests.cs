using System.Numerics;
using Zk0.Datasets.Simulation;

namespace Zk0.Tests.Datasets.Simulation;

public sealed class ArmKinematicsTests
{
    private static readonly ArmKinematics Kinematics = new(ArmGeometry.So100Like);

    [Fact]
    public void StretchedArmReachesTheSumOfItsLinksAtShoulderHeight()
    {
        var g = ArmGeometry.So100Like;

        var pose = Kinematics.Forward([0f, 0f, 0f, 0f, 0f, 100f]);

        AssertNear(new Vector3(g.UpperArm + g.Forearm + g.WristToTip, 0f, g.ShoulderHeight), pose.Tip);
        Assert.Equal(g.MaxJawOpening, pose.JawOpening, 5);
    }

    [Fact]
    public void PanningNinetyDegreesSwingsTheArmToItsLeft()
    {
        var straight = Kinematics.Forward([0f, 30f, -60f, -60f, 0f, 50f]);

        var panned = Kinematics.Forward([90f, 30f, -60f, -60f, 0f, 50f]);

        AssertNear(new Vector3(-straight.Tip.Y, straight.Tip.X, straight.Tip.Z), panned.Tip);
    }

    [Fact]
    public void ShoulderLiftOfNinetyDegreesPointsTheUpperArmStraightUp()
    {
        var pose = Kinematics.Forward([0f, 90f, 0f, 0f, 0f, 0f]);

        AssertNear(pose.Shoulder + new Vector3(0f, 0f, ArmGeometry.So100Like.UpperArm), pose.Elbow);
    }

    [Theory]
    [InlineData(0.12f, -0.10f, 0.008f, 30f)]
    [InlineData(0.20f, 0.05f, 0.10f, -20f)]
    [InlineData(0.26f, 0.00f, 0.035f, 0f)]
    [InlineData(0.14f, 0.19f, 0.10f, 75f)]
    [InlineData(0.10f, 0.00f, 0.12f, -45f)]
    public void InverseKinematicsPutsTheFingertipsOnTargetPointingDown(float x, float y, float z, float jawYaw)
    {
        var target = new Vector3(x, y, z);

        var joints = Kinematics.Inverse(target, jawYaw, gripper: 40f);
        var pose = Kinematics.Forward(joints);

        AssertNear(target, pose.Tip);
        Assert.True(pose.ToolDirection.Z < -0.999f, $"tool direction {pose.ToolDirection} should point down");
        var yawError = ArmKinematics.WrapDegrees(pose.JawYawDegrees - jawYaw);
        Assert.True(MathF.Abs(yawError) < 0.05f || MathF.Abs(MathF.Abs(yawError) - 180f) < 0.05f, $"jaw yaw {pose.JawYawDegrees} vs {jawYaw}");
        Assert.Equal(40f, joints[ArmJoints.Gripper]);
        for (var j = 0; j < ArmJoints.Count; j++)
            Assert.InRange(joints[j], ArmJoints.LowerLimits[j], ArmJoints.UpperLimits[j]);
    }

    [Fact]
    public void ForwardKinematicsRejectsTooFewJoints()
    {
        var error = Assert.Throws<ArgumentException>(() => Kinematics.Forward([1f, 2f, 3f]));

        Assert.Contains("6 joint values", error.Message);
    }

    private static void AssertNear(Vector3 expected, Vector3 actual, float tolerance = 1e-4f) =>
        Assert.True(Vector3.Distance(expected, actual) < tolerance, $"expected {expected}, got {actual}");
}
