using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Rounds;

/// <summary>Event kinds as stored (the Control API maps them to RunEventKind).</summary>
public static class RunEvents
{
    public const string RunSubmitted = "RunSubmitted";
    public const string RunStarted = "RunStarted";
    public const string InitialModelReady = "InitialModelReady";
    public const string RoundStarted = "RoundStarted";
    public const string TaskAssigned = "TaskAssigned";
    public const string ResultReceived = "ResultReceived";
    public const string ResultRejected = "ResultRejected";
    public const string ModelCommitted = "ModelCommitted";
    public const string EvaluationRecorded = "EvaluationRecorded";
    public const string RoundCompleted = "RoundCompleted";
    public const string NodeMissedDeadline = "NodeMissedDeadline";
    public const string RunCompleted = "RunCompleted";
    public const string RunFailed = "RunFailed";
    public const string RunStopped = "RunStopped";

    public static StoredRunEvent Create(string runId, string kind, int round = 0, string nodeId = "", string modelHash = "",
        string message = "", IReadOnlyDictionary<string, double>? metrics = null, bool terminal = false) =>
        new(runId, 0, kind, round, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), nodeId, modelHash, message,
            metrics ?? new Dictionary<string, double>(), terminal);
}
