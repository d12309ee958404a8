using System.Numerics;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// Builds the expert's waypoints for one attempt: hover above the cube, descend, close, lift, carry
/// to the goal bin, lower, release, retreat. Waypoints and leg durations are jittered a little so no
/// two demonstrations are the same.
/// </summary>
internal static class ExpertPlanner
{
    public const float HoverHeight = 0.075f;
    public const float CarryHeight = 0.10f;
    public const float ReleaseHeight = 0.035f;
    public const float RetreatHeight = 0.12f;
    private const float GraspTipHeight = Tabletop.CubeSize / 2f - 0.007f;
    private const float Speed = 0.2f;

    public static List<ExpertWaypoint> Plan(ArmPose from, CubeState cube, SimTask task, Random random)
    {
        float Jitter(float amplitude) => (float)(random.NextDouble() * 2 - 1) * amplitude;
        float Pace() => 1f + Jitter(0.15f);
        float Travel(Vector3 a, Vector3 b, float minimum) => MathF.Max(minimum, Vector3.Distance(a, b) / Speed) * Pace();

        // Jaws must close across two opposite faces; of the four equivalent yaws take the nearest.
        var graspYaw = cube.YawDegrees + 90f * MathF.Round(ArmKinematics.WrapDegrees(from.JawYawDegrees - cube.YawDegrees) / 90f);
        var hover = new Vector3(cube.Center.X + Jitter(0.005f), cube.Center.Y + Jitter(0.005f), HoverHeight + Jitter(0.01f));
        var grasp = new Vector3(cube.Center.X + Jitter(0.002f), cube.Center.Y + Jitter(0.002f), GraspTipHeight);
        var lift = grasp with { Z = CarryHeight + Jitter(0.01f) };
        var goal = task.GoalBin.Area.Center;
        var margin = MathF.Min(task.GoalBin.Area.SizeX, task.GoalBin.Area.SizeY) * 0.15f;
        var overGoal = new Vector3(goal.X + Jitter(margin), goal.Y + Jitter(margin), lift.Z);
        var lower = overGoal with { Z = ReleaseHeight + Jitter(0.005f) };
        var retreat = lower with { Z = RetreatHeight };
        var carryYaw = graspYaw + Jitter(10f);

        return
        [
            new("approach", hover, graspYaw, 100f, Travel(from.Tip, hover, 0.8f)),
            new("descend", grasp, graspYaw, 100f, Travel(hover, grasp, 0.6f)),
            new("close", grasp, graspYaw, 0f, 0.35f * Pace()),
            new("settle", grasp, graspYaw, 0f, 0.2f * Pace()),
            new("lift", lift, graspYaw, 0f, Travel(grasp, lift, 0.5f)),
            new("carry", overGoal, carryYaw, 0f, Travel(lift, overGoal, 0.7f)),
            new("lower", lower, carryYaw, 0f, Travel(overGoal, lower, 0.4f)),
            new("release", lower, carryYaw, 100f, 0.35f * Pace()),
            new("retreat", retreat, carryYaw, 100f, Travel(lower, retreat, 0.4f)),
            new("rest", retreat, carryYaw, 100f, 0.25f),
        ];
    }
}
