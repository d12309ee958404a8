using System.Numerics;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// A scripted demonstrator: plans a pick-and-place from the simulator's true cube pose, follows it
/// with minimum-jerk legs through inverse kinematics, and adds smooth teleoperator-like noise to
/// the commanded joint targets. If the grasp misses it opens and tries again (up to
/// <see cref="MaxAttempts"/>). Deterministic for a given seed and simulator run.
/// </summary>
public sealed class ScriptedExpert
{
    public const int MaxAttempts = 3;
    private static readonly float[] NoiseStd = [0.35f, 0.35f, 0.35f, 0.35f, 0.6f, 1.0f];
    private readonly Random _random;
    private readonly SmoothNoise _noise;
    private List<ExpertWaypoint>? _plan;
    private ExpertWaypoint _start;
    private int _leg;
    private int _stepInLeg;
    private float _lastRoll;
    private int _attempts;

    public ScriptedExpert(int seed)
    {
        _random = new Random(seed);
        _noise = new SmoothNoise(_random, NoiseStd);
    }

    /// <summary>Every leg of the plan has been commanded.</summary>
    public bool IsDone => _plan is not null && _leg >= _plan.Count;

    /// <summary>Name of the current leg (approach, descend, close, ...), or "done".</summary>
    public string Phase => _plan is null ? "start" : IsDone ? "done" : _plan[_leg].Phase;

    /// <summary>The next action: six target joint positions (degrees, gripper 0..100).</summary>
    public float[] Act(ArmSimulator simulator)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        if (_plan is null) Replan(simulator);
        if (!IsDone && _plan![_leg].Phase == "lift" && _stepInLeg == 0 && !simulator.Cube.Held && _attempts < MaxAttempts)
            Replan(simulator);

        var target = CurrentTarget(simulator.Options.Fps);
        var joints = simulator.Kinematics.Inverse(target.Tip, target.JawYawDegrees, target.Gripper);
        joints[ArmJoints.WristRoll] = ContinueRoll(joints[ArmJoints.WristRoll]);
        for (var j = 0; j < joints.Length; j++)
            joints[j] = ArmJoints.Clamp(j, joints[j] + _noise.Next(j));
        return joints;
    }

    private void Replan(ArmSimulator simulator)
    {
        var pose = simulator.Pose;
        _attempts++;
        _plan = ExpertPlanner.Plan(pose, simulator.Cube, simulator.Task, _random);
        _start = new ExpertWaypoint("start", pose.Tip, pose.JawYawDegrees, simulator.Joints[ArmJoints.Gripper], 0f);
        _lastRoll = simulator.Joints[ArmJoints.WristRoll];
        _leg = 0;
        _stepInLeg = 0;
    }

    private ExpertWaypoint CurrentTarget(int fps)
    {
        if (IsDone) return _plan![^1];

        var leg = _plan![_leg];
        var from = _leg == 0 ? _start : _plan[_leg - 1];
        var steps = Math.Max(1, (int)MathF.Round(leg.Seconds * fps));
        _stepInLeg++;
        var s = MinimumJerk.At(_stepInLeg / (float)steps);
        if (_stepInLeg >= steps)
        {
            _leg++;
            _stepInLeg = 0;
        }
        return new ExpertWaypoint(leg.Phase,
            Vector3.Lerp(from.Tip, leg.Tip, s),
            from.JawYawDegrees + ArmKinematics.WrapDegrees(leg.JawYawDegrees - from.JawYawDegrees) * s,
            from.Gripper + (leg.Gripper - from.Gripper) * s,
            leg.Seconds);
    }

    // Jaws are symmetric, so inverse kinematics may answer a roll 180° away from the last one;
    // keep turning the short way so the wrist never spins half a turn mid-motion.
    private float ContinueRoll(float roll)
    {
        var delta = ArmKinematics.WrapDegrees(roll - _lastRoll);
        if (delta > 90f) delta -= 180f;
        if (delta < -90f) delta += 180f;
        var next = _lastRoll + delta;
        if (next > 180f) next -= 180f;
        if (next < -180f) next += 180f;
        _lastRoll = next;
        return next;
    }
}
