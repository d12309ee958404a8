using Zk0.Datasets.Writing;

namespace Zk0.Datasets.Simulation;

/// <summary>How synthetic demonstrations are rendered and stored. The defaults write LeRobot v3.0 with AV1 video when ffmpeg has it.</summary>
public sealed record SyntheticDatasetOptions
{
    public SimulatorOptions Simulator { get; init; } = SimulatorOptions.Default;
    public LeRobotWriterOptions Writer { get; init; } = new();

    /// <summary>An episode whose demonstration does not finish the task is replaced by a new one; give up after this many in a row.</summary>
    public int MaxFailedDemonstrationsInARow { get; init; } = 10;

    /// <summary>Steps after which an unfinished demonstration is abandoned.</summary>
    public int MaxStepsPerEpisode { get; init; } = 900;

    public static SyntheticDatasetOptions Default { get; } = new();
}
