namespace Zk0.Evaluator.Evaluations;

/// <summary>
/// One recorded evaluation episode as <c>GET /runs/{runId}/videos</c> lists it. <c>Video</c> and <c>Info</c> are the
/// file names under <c>/runs/{runId}/videos/{round}/{task}/</c>.
/// </summary>
public sealed record EvaluationVideo(int Round, string Task, int Episode, string Video, string Info, bool Success, int Steps, double DurationSeconds);
