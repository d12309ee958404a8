namespace Zk0.Cli.Learn;

/// <summary>One evaluation of a model during central training: after how many optimizer steps and seconds of training.</summary>
/// <param name="TrainLoss">mean training loss of the steps since the last point; null for the untrained model</param>
/// <param name="LearningRate">the learning rate of the steps since the last point; null for the untrained model</param>
/// <param name="SuccessByTask">closed-loop success rate per task name</param>
public sealed record LearningPoint(int Steps, double TrainSeconds, double? TrainLoss, double? LearningRate, double EvalLoss, double? ActionError,
    double SuccessRate, IReadOnlyDictionary<string, double> SuccessByTask);

/// <summary>The points of one configuration (a <c>--run-config</c>), in training order.</summary>
public sealed record LearningCurve(string Label, IReadOnlyDictionary<string, string> RunConfig, IReadOnlyList<LearningPoint> Points)
{
    /// <summary>The first point at or above <paramref name="successRate"/>; null when training never got there.</summary>
    public LearningPoint? FirstReaching(double successRate) => Points.FirstOrDefault(p => p.SuccessRate >= successRate);

    public LearningPoint? Best => Points.Count == 0 ? null : Points.MaxBy(p => p.SuccessRate);
}
