using Zk0.Datasets.Simulation;

namespace Zk0.Policy.Evaluation;

/// <summary>Where one evaluated round's closed-loop videos go: <c>{roundDirectory}/{task}/episode-K.mp4</c> (+ <c>.json</c>).</summary>
/// <param name="ffmpeg">An ffmpeg with libx264 (<see cref="RolloutVideoRecorder.FindEncoder"/>).</param>
public sealed class EvaluationVideos(string ffmpeg, string roundDirectory, Action<string> warn)
{
    public string RoundDirectory => roundDirectory;

    /// <summary>A recorder for the dataset's task, or null when the run records no videos.</summary>
    public RolloutVideoRecorder? RecorderFor(SyntheticDatasetUri dataset, ClosedLoopSettings settings) =>
        settings.RecordedEpisodes == 0
            ? null
            : new RolloutVideoRecorder(ffmpeg, Path.Combine(roundDirectory, dataset.Task.Name), settings.RecordedEpisodes, settings.MaxSteps, warn);
}
