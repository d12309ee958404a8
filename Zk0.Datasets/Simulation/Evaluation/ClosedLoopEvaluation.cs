namespace Zk0.Datasets.Simulation;

/// <summary>
/// Asks a policy for actions in the simulator until the task succeeds or the step budget runs out,
/// over several episodes, and reports the success rate. The policy may answer with a chunk of
/// actions (as SmolVLA does); they are executed one per step before it is asked again. Episode i
/// starts from <see cref="SyntheticDatasets.EpisodeSeed"/>(seed, i), the same layouts the dataset
/// generator draws, so use a seed no training dataset used to get held-out scenes.
/// </summary>
public static class ClosedLoopEvaluation
{
    public static async Task<ClosedLoopResult> RunAsync(
        SimTask task,
        SimPolicy policy,
        int episodes,
        int seed,
        int maxStepsPerEpisode = 600,
        SimulatorOptions? options = null,
        CancellationToken cancellationToken = default,
        IRolloutObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(episodes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxStepsPerEpisode, 1);

        using var simulator = new ArmSimulator(task, options);
        var outcomes = new List<ClosedLoopEpisode>(episodes);
        for (var episode = 0; episode < episodes; episode++)
        {
            var episodeSeed = SyntheticDatasets.EpisodeSeed(seed, episode);
            simulator.Reset(episodeSeed);
            observer?.EpisodeStarted(episode, episodeSeed, simulator);
            while (!simulator.IsSuccess && simulator.StepIndex < maxStepsPerEpisode)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var chunk = await policy(simulator.Observe(), new SimPolicyContext(episode, simulator.StepIndex), cancellationToken);
                if (chunk.Count == 0)
                    throw new InvalidOperationException($"The policy returned no action at step {simulator.StepIndex} of episode {episode}; it must return at least one.");
                foreach (var action in chunk)
                {
                    simulator.Step(action);
                    observer?.Stepped(episode, simulator, action);
                    if (simulator.IsSuccess || simulator.StepIndex >= maxStepsPerEpisode) break;
                }
            }
            var outcome = new ClosedLoopEpisode(episode, episodeSeed, simulator.IsSuccess, simulator.StepIndex);
            observer?.EpisodeEnded(outcome, simulator);
            outcomes.Add(outcome);
        }
        return new ClosedLoopResult(task.Name, outcomes);
    }
}

/// <summary>
/// A policy under evaluation: from an observation, the next action or chunk of actions (each six
/// target joint positions). <see cref="SimPolicyContext.Step"/> is 0 at the start of every episode,
/// where a policy with an action queue should clear it.
/// </summary>
public delegate ValueTask<IReadOnlyList<float[]>> SimPolicy(SimObservation observation, SimPolicyContext context, CancellationToken cancellationToken);

/// <summary>Which evaluation episode (0-based) and which step within it the policy is asked at.</summary>
public readonly record struct SimPolicyContext(int Episode, int Step);

public sealed record ClosedLoopEpisode(int Episode, int Seed, bool Succeeded, int Steps);

public sealed record ClosedLoopResult(string Task, IReadOnlyList<ClosedLoopEpisode> Episodes)
{
    public int Successes => Episodes.Count(e => e.Succeeded);
    public double SuccessRate => Episodes.Count == 0 ? 0 : Successes / (double)Episodes.Count;

    /// <summary>Mean steps of the successful episodes; null when none succeeded.</summary>
    public double? MeanStepsToSuccess => Successes == 0 ? null : Episodes.Where(e => e.Succeeded).Average(e => e.Steps);
}
