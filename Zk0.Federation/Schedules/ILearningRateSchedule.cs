namespace Zk0.Federation.Schedules;

/// <summary>The learning rate the nodes use in a round (1-based), given the base rate the adaptation left.</summary>
public interface ILearningRateSchedule
{
    double LearningRate(int round, double baseLearningRate);

    string Summary();
}
