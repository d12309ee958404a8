using Zk0.Datasets.Simulation;

namespace Zk0.Cli.Learn;

/// <summary>What <c>zk0 learn</c> was asked to do.</summary>
/// <param name="Tasks">the synthetic tasks whose demonstrations are pooled (default: the four the AppHost's nodes train on)</param>
/// <param name="Episodes">demonstrations recorded per task</param>
/// <param name="RunConfigs">one training configuration each (run-config text), drawn as one curve each</param>
/// <param name="EvalEvery">optimizer steps between closed-loop evaluations</param>
/// <param name="EvalEpisodes">closed-loop episodes per task at every evaluation</param>
/// <param name="Videos">episodes per task of each configuration's last evaluation recorded as MP4 (0: none)</param>
/// <param name="Recovery">the demonstrations' recovery wobble in degrees (<c>synth:...&amp;recovery=D</c>; 0: none)</param>
public sealed record LearnOptions(IReadOnlyList<string> Tasks, int Episodes, int Steps, int EvalEvery, int EvalEpisodes,
    IReadOnlyList<string> RunConfigs, string OutputDirectory, long EvaluationSeed = 0, string Device = "cpu", int Videos = 0, float Recovery = 0)
{
    public const int DefaultTasks = 4;

    public static IReadOnlyList<string> DefaultTaskNames { get; } = Enumerable.Range(0, DefaultTasks).Select(i => SimTaskCatalog.ForNode(i).Name).ToList();

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad option and what to pass instead.</summary>
    public void Validate()
    {
        if (Tasks.Count == 0) throw new ArgumentException("--tasks names no task; known tasks: " + string.Join(", ", SimTaskCatalog.Names) + ".");
        foreach (var task in Tasks) SimTaskCatalog.Get(task);
        if (Episodes < 2) throw new ArgumentException($"--episodes must be 2 or more (a held-out part is split off), got {Episodes}.");
        if (Steps < 1) throw new ArgumentException($"--steps must be a positive number of optimizer steps, got {Steps}.");
        if (EvalEvery < 1 || EvalEvery > Steps) throw new ArgumentException($"--eval-every must be from 1 to --steps ({Steps}), got {EvalEvery}.");
        if (EvalEpisodes < 1) throw new ArgumentException($"--eval-episodes must be 1 or more, got {EvalEpisodes}.");
        if (Videos < 0 || Videos > EvalEpisodes) throw new ArgumentException($"--videos must be from 0 to --eval-episodes ({EvalEpisodes}), got {Videos}.");
        if (RunConfigs.Count == 0) throw new ArgumentException("Give at least one --run-config.");
        if (Recovery < 0 || Recovery > SyntheticDatasetUri.MaxRecoveryNoiseDegrees)
            throw new ArgumentException($"--recovery must be from 0 to {SyntheticDatasetUri.MaxRecoveryNoiseDegrees} degrees, got {Recovery}.");
    }

    public IReadOnlyList<string> DatasetUris => Tasks.Select(t => new SyntheticDatasetUri(SimTaskCatalog.Get(t), Episodes, SyntheticDatasetUri.DefaultSeed, Recovery).ToString()).ToList();
}
