namespace Zk0.Policy.Evaluation;

/// <summary>
/// The names the Evaluator reports its scores under (RecordEvaluation metrics, metrics.json, <c>zk0 compare</c>). The
/// overall <see cref="Loss"/> covers the nodes' own tasks only; the tasks no node trains on get the
/// <see cref="UnseenPrefix"/> names, so curves of runs with and without unseen tasks stay comparable.
/// </summary>
public static class EvaluationMetricNames
{
    public const string Loss = "loss";
    public const string ActionError = "action_error";
    public const string SuccessRate = "success_rate";
    public const string Examples = "examples";
    public const string UnseenPrefix = "unseen_";

    public static string Unseen(string metric) => UnseenPrefix + metric;
}
