using Zk0.Federation.Protocol;
using Zk0.Policy.Evaluation;

namespace Zk0.Evaluator.Worker;

/// <summary>
/// Adds the score on the tasks no node trains on to an evaluation: every unseen dataset with its metrics and
/// <see cref="UnseenFlag"/> = 1, and the overall <c>unseen_loss</c>, <c>unseen_action_error</c>,
/// <c>unseen_success_rate</c> and <c>unseen_examples</c>, while the overall <c>loss</c> stays that of the nodes' tasks.
/// </summary>
public static class UnseenMetrics
{
    /// <summary>Per-dataset metric marking an unseen task in the Control API and metrics.json.</summary>
    public const string UnseenFlag = "unseen";

    public static void AddTo(RecordEvaluationRequest request, ModelScore unseen)
    {
        request.Metrics[EvaluationMetricNames.Unseen(EvaluationMetricNames.Examples)] = unseen.Examples;
        request.Metrics[EvaluationMetricNames.Unseen(EvaluationMetricNames.Loss)] = unseen.Loss;
        if (unseen.ActionError is double actionError) request.Metrics[EvaluationMetricNames.Unseen(EvaluationMetricNames.ActionError)] = actionError;
        if (unseen.SuccessRate is double successRate) request.Metrics[EvaluationMetricNames.Unseen(EvaluationMetricNames.SuccessRate)] = successRate;
        foreach (var (uri, dataset) in unseen.Datasets)
        {
            var entry = new DatasetEvaluation { Loss = dataset.Loss, NumExamples = dataset.Examples, Metrics = { [EvaluationMetricNames.Loss] = dataset.Loss, [UnseenFlag] = 1 } };
            if (dataset.ActionError is double datasetError) entry.Metrics[EvaluationMetricNames.ActionError] = datasetError;
            if (dataset.SuccessRate is double datasetSuccess) entry.Metrics[EvaluationMetricNames.SuccessRate] = datasetSuccess;
            request.Datasets[uri] = entry;
        }
    }
}
