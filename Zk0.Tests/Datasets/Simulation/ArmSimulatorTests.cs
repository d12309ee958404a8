using Zk0.Datasets.Simulation;

namespace Zk0.Tests.Datasets.Simulation;

public sealed class ArmSimulatorTests
{
    [Fact]
    public void ResetWithTheSameSeedGivesTheSameStartAndADifferentSeedAnotherOne()
    {
        using var simulator = new ArmSimulator(SimTaskCatalog.Default);

        simulator.Reset(7);
        var (state, cube) = (simulator.State, simulator.Cube);
        simulator.Reset(8);
        var other = simulator.Cube;
        simulator.Reset(7);

        Assert.Equal(state, simulator.State);
        Assert.Equal(cube, simulator.Cube);
        Assert.NotEqual(cube.Center, other.Center);
        Assert.True(SimTaskCatalog.Default.StartRegion.Contains(cube.TablePosition));
        Assert.True(cube.RestsOnTable);
        Assert.Equal(0, simulator.StepIndex);
    }

    [Fact]
    public void JointsMoveTowardTheTargetsNoFasterThanTheServoSpeedLimit()
    {
        var options = new SimulatorOptions { Fps = 30, MaxJointSpeedDegreesPerSecond = 90f };
        using var simulator = new ArmSimulator(SimTaskCatalog.Default, options);
        simulator.Reset(1);
        var before = simulator.State;
        var target = (float[])before.Clone();
        target[ArmJoints.ShoulderPan] += 40f;
        target[ArmJoints.ElbowFlex] -= 0.5f;

        simulator.Step(target);

        Assert.Equal(before[ArmJoints.ShoulderPan] + 3f, simulator.Joints[ArmJoints.ShoulderPan], 3);
        Assert.InRange(simulator.Joints[ArmJoints.ElbowFlex], target[ArmJoints.ElbowFlex], before[ArmJoints.ElbowFlex] - 0.1f);
        for (var i = 0; i < 60; i++) simulator.Step(target);
        Assert.Equal(target[ArmJoints.ShoulderPan], simulator.Joints[ArmJoints.ShoulderPan], 2);
        Assert.Equal(61, simulator.StepIndex);
    }

    [Fact]
    public void TargetsBeyondTheJointLimitsAreClamped()
    {
        using var simulator = new ArmSimulator(SimTaskCatalog.Default);
        var target = simulator.State;
        target[ArmJoints.Gripper] = 500f;

        for (var i = 0; i < 30; i++) simulator.Step(target);

        Assert.Equal(100f, simulator.Joints[ArmJoints.Gripper], 3);
    }

    [Fact]
    public void ActionsOfTheWrongLengthOrNotFiniteAreRejectedByName()
    {
        using var simulator = new ArmSimulator(SimTaskCatalog.Default);

        var tooShort = Assert.Throws<ArgumentException>(() => simulator.Step(new float[5]));
        var notANumber = Assert.Throws<ArgumentException>(() => simulator.Step([0f, 0f, float.NaN, 0f, 0f, 0f]));

        Assert.Contains("6 target joint positions", tooShort.Message);
        Assert.Contains("elbow_flex.pos", notANumber.Message);
        Assert.Equal(0, simulator.StepIndex);
    }

    [Fact]
    public void ClosingTheGripperAwayFromTheCubeCatchesNothing()
    {
        using var simulator = new ArmSimulator(SimTaskCatalog.Default);
        var action = simulator.State;
        action[ArmJoints.Gripper] = 0f;

        for (var i = 0; i < 30; i++) simulator.Step(action);

        Assert.False(simulator.Cube.Held);
        Assert.True(simulator.Joints[ArmJoints.Gripper] < 1f);
        Assert.False(simulator.IsSuccess);
    }

    [Fact]
    public void ClosingTheJawsAroundTheCubeHoldsItAtItsWidthAndLiftingCarriesIt()
    {
        using var simulator = new ArmSimulator(SimTaskCatalog.Default);
        simulator.Reset(3);
        var cube = simulator.Cube;
        var above = cube.Center with { Z = 0.08f };
        var atCube = cube.Center with { Z = 0.008f };

        Hold(simulator, simulator.Kinematics.Inverse(above, cube.YawDegrees, 100f), 30);
        Hold(simulator, simulator.Kinematics.Inverse(atCube, cube.YawDegrees, 100f), 30);
        Hold(simulator, simulator.Kinematics.Inverse(atCube, cube.YawDegrees, 0f), 20);
        Assert.True(simulator.Cube.Held);
        Assert.Equal(Tabletop.CubeSize / ArmGeometry.So100Like.MaxJawOpening * 100f, simulator.Joints[ArmJoints.Gripper], 3);

        Hold(simulator, simulator.Kinematics.Inverse(above, cube.YawDegrees, 0f), 30);
        Assert.True(simulator.Cube.Held);
        Assert.True(simulator.Cube.Center.Z > 0.07f, $"cube should be lifted, is at {simulator.Cube.Center}");

        Hold(simulator, simulator.Kinematics.Inverse(above, cube.YawDegrees, 100f), 30);
        Assert.False(simulator.Cube.Held);
        Assert.True(simulator.Cube.RestsOnTable, "a released cube falls back onto the table");
        Assert.False(simulator.IsSuccess, "the cube is back where it started, not in the goal bin");
    }

    [Fact]
    public void JawsTurnedAcrossTheCubesCornersDoNotGraspIt()
    {
        using var simulator = new ArmSimulator(SimTaskCatalog.Default);
        simulator.Reset(3);
        var cube = simulator.Cube;
        var atCube = cube.Center with { Z = 0.008f };

        Hold(simulator, simulator.Kinematics.Inverse(atCube, cube.YawDegrees + 45f, 100f), 40);
        Hold(simulator, simulator.Kinematics.Inverse(atCube, cube.YawDegrees + 45f, 0f), 20);

        Assert.False(simulator.Cube.Held);
    }

    [Fact]
    public void BadOptionsAreRejectedNamingTheSetting()
    {
        var badCamera = Assert.Throws<ArgumentException>(() => new ArmSimulator(SimTaskCatalog.Default, new SimulatorOptions { Cameras = ["ceiling"] }));
        var badSize = Assert.Throws<ArgumentException>(() => new ArmSimulator(SimTaskCatalog.Default, new SimulatorOptions { ImageWidth = 4 }));

        Assert.Contains("ceiling", badCamera.Message);
        Assert.Contains("top", badCamera.Message);
        Assert.Contains("image size", badSize.Message);
    }

    private static void Hold(ArmSimulator simulator, float[] action, int steps)
    {
        for (var i = 0; i < steps; i++) simulator.Step(action);
    }
}
