using System.Globalization;
using Zk0.Federation.Protocol;

namespace Zk0.Federation.Runs;

/// <summary>One readable line per run event: rounds, node results, committed models, eval loss.</summary>
public static class RunEventText
{
    public static string? Describe(RunEvent e)
    {
        var round = e.Round > 0 ? $"round {e.Round}: " : "";
        var metrics = e.Metrics.Count == 0 ? "" :
            " " + string.Join(' ', e.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key}={m.Value:G5}")));
        var node = e.NodeId.Length > 0 ? $" node {e.NodeId}" : "";
        var model = e.ModelHash.Length >= 12 ? $" model {e.ModelHash[..12]}" : "";
        var message = e.Message.Length > 0 ? $" ({e.Message})" : "";
        return e.Kind switch
        {
            RunEventKind.RunSubmitted => $"run {e.RunId} submitted",
            RunEventKind.RunStarted => $"run {e.RunId} started",
            RunEventKind.InitialModelReady => $"initial model ready{model}",
            RunEventKind.RoundStarted => $"{round}started{message}",
            RunEventKind.TaskAssigned => null,
            RunEventKind.ResultReceived => $"{round}result from{node}{metrics}",
            RunEventKind.ResultRejected => $"{round}result REJECTED from{node}{message}",
            RunEventKind.ModelCommitted => $"{round}committed{model}{metrics}",
            RunEventKind.EvaluationRecorded => $"{round}server eval{metrics}",
            RunEventKind.RoundCompleted => $"{round}completed{metrics}",
            RunEventKind.NodeMissedDeadline => $"{round}{node.TrimStart()} missed the deadline{message}",
            RunEventKind.RunCompleted => $"run {e.RunId} completed{message}",
            RunEventKind.RunFailed => $"run {e.RunId} FAILED{message}",
            RunEventKind.RunStopped => $"run {e.RunId} stopped{message}",
            _ => $"{round}{e.Kind}{node}{message}",
        };
    }
}
