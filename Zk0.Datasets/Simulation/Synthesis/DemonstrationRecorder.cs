using Zk0.Datasets.Writing;

namespace Zk0.Datasets.Simulation;

/// <summary>
/// Runs the scripted expert in the simulator and records what a teleoperated SO-100 recording holds:
/// at every step the observed state and images, then the action commanded from them.
/// </summary>
public static class DemonstrationRecorder
{
    /// <summary>
    /// One demonstration from the simulator's reset with <paramref name="seed"/>; <see cref="Demonstration.Succeeded"/> says
    /// whether the cube ended in the goal bin. With <paramref name="recoveryNoiseDegrees"/> the arm executes each action plus
    /// a slow wobble of that standard deviation while the recorded action stays the expert's target, so the episode shows
    /// the way back from states the expert alone never visits.
    /// </summary>
    public static Demonstration Record(ArmSimulator simulator, int seed, int maxSteps = 900, float recoveryNoiseDegrees = 0)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        simulator.Reset(seed);
        var expert = new ScriptedExpert(ExpertSeed(seed));
        var wobble = recoveryNoiseDegrees > 0 ? new SmoothNoise(new Random(ExpertSeed(~seed)), ArmWobble(recoveryNoiseDegrees), correlation: 0.95f) : null;
        var frames = new List<EpisodeFrame>();
        while (!expert.IsDone && frames.Count < maxSteps)
        {
            var observation = simulator.Observe();
            var action = expert.Act(simulator);
            frames.Add(new EpisodeFrame(observation.State, action, observation.ImagesByFeatureKey()));
            simulator.Step(wobble is null ? action : Wobbled(action, wobble));
        }
        return new Demonstration(simulator.Task, seed, frames, simulator.IsSuccess);
    }

    /// <summary>The dataset feature key of a simulator camera.</summary>
    public static string FeatureKey(string camera) => $"observation.images.{camera}";

    // The gripper is left alone: a wobbling grip would drop the cube rather than teach a way back.
    private static float[] ArmWobble(float degrees) => [degrees, degrees, degrees, degrees, degrees, 0f];

    private static float[] Wobbled(float[] action, SmoothNoise wobble) =>
        action.Select((target, joint) => ArmJoints.Clamp(joint, target + wobble.Next(joint))).ToArray();

    // Decorrelates the expert's noise from the scene layout drawn from the same episode seed.
    private static int ExpertSeed(int seed) => unchecked(seed * -1640531535 + 0x5bd1e995);
}

/// <summary>A recorded expert episode, ready for <see cref="LeRobotDatasetWriter.AddEpisodeAsync"/>.</summary>
public sealed record Demonstration(SimTask Task, int Seed, IReadOnlyList<EpisodeFrame> Frames, bool Succeeded);
