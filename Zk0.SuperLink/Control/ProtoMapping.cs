using Zk0.Federation.Protocol;
using Zk0.SuperLink.State;

namespace Zk0.SuperLink.Control;

/// <summary>Stored records to Control API messages.</summary>
internal static class ProtoMapping
{
    public static RunSummary ToSummary(RunRecord run)
    {
        var numRounds = run.Config.TryGetValue(Federation.Runs.RunConfigKeys.NumServerRounds, out var n) && int.TryParse(n, out var parsed) ? parsed : 3;
        var summary = new RunSummary
        {
            RunId = run.RunId,
            Status = ToStatus(run.State),
            CompletedRounds = run.CompletedRounds,
            NumServerRounds = numRounds,
            CreatedUnixMs = run.CreatedUnixMs,
            FinishedUnixMs = run.FinishedUnixMs,
            GlobalModelHash = run.GlobalModelHash,
            Message = run.Message,
        };
        foreach (var (key, value) in Rounds.RunNormalization.Into(run.Config, run.Normalization)) summary.Config[key] = value;
        return summary;
    }

    public static RunStatus ToStatus(RunState state) => state switch
    {
        RunState.Pending => RunStatus.Pending,
        RunState.Running => RunStatus.Running,
        RunState.Completed => RunStatus.Completed,
        RunState.Failed => RunStatus.Failed,
        RunState.Stopped => RunStatus.Stopped,
        _ => RunStatus.Unspecified,
    };

    public static RoundRecord ToRound(RoundRecordState round, IReadOnlyList<TaskResult> results, EvaluationResult? eval)
    {
        var record = new RoundRecord
        {
            Round = round.Round,
            BaseModelHash = round.BaseModelHash,
            ModelHash = round.ModelHash,
            ModelSizeBytes = round.ModelSizeBytes,
            Traceparent = round.Traceparent,
            StartedUnixMs = round.StartedUnixMs,
            FinishedUnixMs = round.FinishedUnixMs,
            Eval = eval is null ? null : ToEvaluation(eval),
        };
        record.MissingNodes.Add(round.MissingNodes);
        foreach (var (key, value) in round.TrainMetrics) record.TrainMetrics[key] = value;
        foreach (var result in results)
        {
            var train = new NodeTrainResult
            {
                NodeId = result.NodeId,
                DatasetId = result.DatasetId,
                NumExamples = result.NumExamples,
                UpdateHash = result.UpdateHash,
                UpdateSizeBytes = result.UpdateSizeBytes,
                Error = result.Error,
                BaseModelHash = result.BaseModelHash,
            };
            foreach (var (key, value) in result.Metrics) train.Metrics[key] = value;
            record.Train.Add(train);
        }
        return record;
    }

    public static Evaluation ToEvaluation(EvaluationResult eval)
    {
        var message = new Evaluation { Loss = eval.Loss, ModelHash = eval.ModelHash, RecordedUnixMs = eval.RecordedUnixMs };
        foreach (var (key, value) in eval.Metrics) message.Metrics[key] = value;
        foreach (var (name, score) in eval.Datasets)
        {
            var dataset = new DatasetEvaluation { Loss = score.Loss, NumExamples = score.NumExamples };
            foreach (var (key, value) in score.Metrics) dataset.Metrics[key] = value;
            message.Datasets[name] = dataset;
        }
        return message;
    }

    public static NodeInfo ToNode(NodeRecord node, long nowUnixMs)
    {
        var info = new NodeInfo
        {
            NodeId = node.NodeId,
            DatasetId = node.DatasetId,
            Role = node.Role,
            NumExamples = node.NumExamples,
            DisplayName = node.DisplayName,
            RegisteredUnixMs = node.RegisteredUnixMs,
            LeaseExpiresUnixMs = node.LeaseExpiresUnixMs,
            Online = node.IsOnline(nowUnixMs),
            KeyId = node.KeyId,
        };
        foreach (var (key, value) in node.Capabilities) info.Capabilities[key] = value;
        return info;
    }

    public static RunEvent ToEvent(StoredRunEvent e)
    {
        var message = new RunEvent
        {
            RunId = e.RunId,
            Sequence = e.Sequence,
            Kind = Enum.TryParse<RunEventKind>(e.Kind, out var kind) ? kind : RunEventKind.Unspecified,
            Round = e.Round,
            UnixMs = e.UnixMs,
            NodeId = e.NodeId,
            ModelHash = e.ModelHash,
            Message = e.Message,
            Terminal = e.Terminal,
        };
        foreach (var (key, value) in e.Metrics) message.Metrics[key] = value;
        return message;
    }
}
