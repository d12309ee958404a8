namespace Zk0.AppHost.Runs;

/// <summary>
/// An evaluation video saved in a run's outputs. <c>VideoPath</c> and <c>InfoPath</c> are relative to the run's folder:
/// <c>evaluate/round-N/{task}/episode-K.mp4</c> and the <c>.json</c> beside it.
/// </summary>
public sealed record EvaluationVideoFile(int Round, string Task, int Episode, string VideoPath, string InfoPath, bool Success, int Steps, double DurationSeconds);
