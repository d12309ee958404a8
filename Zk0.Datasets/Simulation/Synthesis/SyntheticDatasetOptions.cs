using Zk0.Datasets.Writing;

namespace Zk0.Datasets.Simulation;

/// <summary>How synthetic demonstrations are rendered and stored. The defaults write LeRobot v3.0 with PNG images inside the parquet.</summary>
public sealed record SyntheticDatasetOptions
{
    public SimulatorOptions Simulator { get; init; } = SimulatorOptions.Default;
    /// <summary>
    /// How camera frames are stored: inside the parquet unless said otherwise. Training samples frames in random order, and
    /// a video is decoded from its last keyframe for every sample; the BC policy trained at 11 optimizer steps/s from AV1
    /// against 50 from parquet images on a 2-core CPU (<c>zk0 learn</c>, docs/learning.md).
    /// </summary>
    public LeRobotWriterOptions Writer { get; init; } = new() { Cameras = CameraEncoding.ParquetImages };

    /// <summary>An episode whose demonstration does not finish the task is replaced by a new one; give up after this many in a row.</summary>
    public int MaxFailedDemonstrationsInARow { get; init; } = 10;

    /// <summary>
    /// Standard deviation (degrees) of a slow wobble added to the arm joints the simulator executes, but not to the recorded
    /// actions: the demonstrations then show how the expert's targets bring a drifted arm back (DART-style recovery data);
    /// 0 records the expert as it moved.
    /// </summary>
    public float RecoveryNoiseDegrees { get; init; }

    /// <summary>Steps after which an unfinished demonstration is abandoned.</summary>
    public int MaxStepsPerEpisode { get; init; } = 900;

    public static SyntheticDatasetOptions Default { get; } = new();
}
