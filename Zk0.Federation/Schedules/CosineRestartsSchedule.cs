namespace Zk0.Federation.Schedules;

/// <summary>
/// Cosine annealing with warm restarts (SGDR, Loshchilov &amp; Hutter, 2017) over rounds: cycles of T₀, T₀·m, T₀·m², …
/// rounds; within a cycle, at position t of Tᵢ, the rate is min + (base − min)·(1 + cos(π·t/Tᵢ))/2.
/// </summary>
public sealed class CosineRestartsSchedule(int period, int multiplier, double minLearningRate) : ILearningRateSchedule
{
    public double LearningRate(int round, double baseLearningRate)
    {
        long position = round - 1;
        long cycle = period;
        while (position >= cycle)
        {
            position -= cycle;
            cycle *= multiplier;
        }
        var floor = Math.Min(minLearningRate, baseLearningRate);
        return floor + (baseLearningRate - floor) * (1 + Math.Cos(Math.PI * position / cycle)) / 2;
    }

    public string Summary() => $"cosine-restarts (restart-period={period}, restart-multiplier={multiplier}, min-learning-rate={minLearningRate:R})";
}
