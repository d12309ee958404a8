using System.Numerics;
using Zk0.Datasets.Frames;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// A small SO-100-style arm on a table with one cube, for generating demonstrations and for
/// evaluating a policy in closed loop: <see cref="Reset"/>, then <see cref="Observe"/> /
/// <see cref="Step"/> until <see cref="IsSuccess"/> or a step budget runs out.
/// <para>
/// State: the six joint positions (5 joints in degrees + gripper 0..100). Action: six target joint
/// positions in the same units, as an SO-100 follower arm takes them; each step the position servos
/// move toward the targets with a first-order response and a speed limit. Deterministic: the same
/// seed and the same actions give the same states and images.
/// </para>
/// </summary>
public sealed class ArmSimulator : IDisposable
{
    private const float Gravity = 9.81f;
    private readonly float[] _joints = new float[ArmJoints.Count];
    private readonly SceneRenderer _renderer;
    private CubeState _cube;
    private Vector3 _heldOffsetInToolFrame;
    private float _heldYawOffset;
    private float _cubeFallSpeed;
    // How far the jaws opened since they last closed: the gap a closing grasp can catch the cube in.
    private float _widestGripper;

    public ArmSimulator(SimTask task, SimulatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        Options = options ?? SimulatorOptions.Default;
        Options.Validate();
        Task = task;
        Kinematics = new ArmKinematics(Options.Geometry);
        _renderer = new SceneRenderer(Options.ImageWidth, Options.ImageHeight);
        Reset(0);
    }

    public SimTask Task { get; }
    public SimulatorOptions Options { get; }
    public ArmKinematics Kinematics { get; }

    /// <summary>Steps taken since the last reset.</summary>
    public int StepIndex { get; private set; }

    /// <summary>Seconds since the last reset.</summary>
    public double TimeSeconds => StepIndex / (double)Options.Fps;

    public ReadOnlySpan<float> Joints => _joints;
    public float[] State => (float[])_joints.Clone();
    public ArmPose Pose => Kinematics.Forward(_joints);
    public CubeState Cube => _cube;

    /// <summary>The cube rests on the table inside the task's goal bin and the gripper has let go.</summary>
    public bool IsSuccess => _cube.RestsOnTable && Task.GoalBin.Area.Contains(_cube.TablePosition);

    /// <summary>Puts the arm near its home pose and the cube somewhere in the task's start region, both drawn from <paramref name="seed"/>.</summary>
    public void Reset(int seed)
    {
        var random = new Random(seed);
        var home = Kinematics.Inverse(new Vector3(0.12f, 0f, 0.16f), jawYawDegrees: 90f, gripper: 20f);
        for (var j = 0; j < ArmJoints.Count; j++)
            _joints[j] = ArmJoints.Clamp(j, home[j] + (float)(random.NextDouble() * 2 - 1) * (j == ArmJoints.Gripper ? 5f : 3f));

        var start = Task.StartRegion.Sample(random);
        var yaw = (float)(random.NextDouble() * 90 - 45);
        _cube = new CubeState(new Vector3(start.X, start.Y, Tabletop.CubeSize / 2f), yaw, Held: false);
        _cubeFallSpeed = 0f;
        _widestGripper = _joints[ArmJoints.Gripper];
        StepIndex = 0;
    }

    /// <summary>Advances one frame (1/<see cref="SimulatorOptions.Fps"/> s) toward the target joint positions in <paramref name="action"/>.</summary>
    public void Step(ReadOnlySpan<float> action)
    {
        if (action.Length != ArmJoints.Count)
            throw new ArgumentException($"A simulator action has {ArmJoints.Count} target joint positions ({string.Join(", ", ArmJoints.Names)}), got {action.Length}.", nameof(action));
        for (var j = 0; j < action.Length; j++)
            if (!float.IsFinite(action[j]))
                throw new ArgumentException($"Simulator action value for {ArmJoints.Names[j]} is {action[j]}; actions must be finite numbers.", nameof(action));

        var dt = 1f / Options.Fps;
        var response = Options.ServoTimeConstantSeconds <= 0f ? 1f : 1f - MathF.Exp(-dt / Options.ServoTimeConstantSeconds);
        for (var j = 0; j < ArmJoints.Gripper; j++)
            _joints[j] = MoveServo(_joints[j], ArmJoints.Clamp(j, action[j]), response, Options.MaxJointSpeedDegreesPerSecond * dt);

        var gripperBefore = _joints[ArmJoints.Gripper];
        var gripper = MoveServo(gripperBefore, ArmJoints.Clamp(ArmJoints.Gripper, action[ArmJoints.Gripper]), response, Options.MaxGripperSpeedPerSecond * dt);
        _joints[ArmJoints.Gripper] = ApplyGrasp(gripperBefore, gripper);
        MoveCube(dt);
        StepIndex++;
    }

    /// <summary>The image camera <paramref name="camera"/> sees now, HWC RGB at the configured size.</summary>
    public RgbFrame Render(string camera)
    {
        if (!SimCameras.IsKnown(camera))
            throw new ArgumentException($"Unknown simulator camera '{camera}'; known cameras: {string.Join(", ", SimCameras.All)}.", nameof(camera));
        return _renderer.Render(new SceneSnapshot(Pose, _cube, Task), SimCameraRig.View(camera, Pose));
    }

    /// <summary>The state, one image per configured camera and the task instruction: what a policy gets each step.</summary>
    public SimObservation Observe() =>
        new(State, Options.Cameras.ToDictionary(camera => camera, Render, StringComparer.Ordinal), Task.Instruction);

    public void Dispose() => _renderer.Dispose();

    private static float MoveServo(float position, float target, float response, float maxStep) =>
        position + Math.Clamp((target - position) * response, -maxStep, maxStep);

    private float ApplyGrasp(float gripperBefore, float gripperAfter)
    {
        var contact = Grasp.ContactGripperValue(Options.Geometry);
        var pose = Pose;
        if (_cube.Held)
        {
            if (gripperAfter <= contact + 2f) return Math.Max(gripperAfter, contact);
            _cube = _cube with { Held = false };
            _cubeFallSpeed = 0f;
            return gripperAfter;
        }

        var closedFrom = MathF.Max(_widestGripper, gripperBefore);
        _widestGripper = gripperAfter <= contact ? gripperAfter : closedFrom;
        var closingThroughContact = gripperBefore >= contact && gripperAfter < contact;
        if (closingThroughContact && Grasp.CubeBetweenJaws(pose, _cube, Options.Geometry, closedFrom))
        {
            _cube = _cube with { Held = true };
            _heldOffsetInToolFrame = Grasp.ToToolFrame(pose, _cube.Center - pose.Tip) with { Y = 0f };
            _heldYawOffset = _cube.YawDegrees - pose.JawYawDegrees;
            return contact;
        }
        return gripperAfter;
    }

    private void MoveCube(float dt)
    {
        var restZ = Tabletop.CubeSize / 2f;
        if (_cube.Held)
        {
            var pose = Pose;
            var center = pose.Tip + Grasp.FromToolFrame(pose, _heldOffsetInToolFrame);
            _cube = _cube with
            {
                Center = center with { Z = MathF.Max(center.Z, restZ) },
                YawDegrees = ArmKinematics.WrapDegrees(pose.JawYawDegrees + _heldYawOffset),
            };
            return;
        }
        if (_cube.Center.Z <= restZ) return;

        _cubeFallSpeed += Gravity * dt;
        var z = _cube.Center.Z - _cubeFallSpeed * dt;
        if (z <= restZ)
        {
            z = restZ;
            _cubeFallSpeed = 0f;
        }
        _cube = _cube with { Center = _cube.Center with { Z = z } };
    }
}
