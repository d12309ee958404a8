namespace Zk0.Federation.Schedules;

/// <summary>The base learning rate in every round.</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    public double LearningRate(int round, double baseLearningRate) => baseLearningRate;

    public string Summary() => "constant";
}
