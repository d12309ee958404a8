namespace Zk0.Federation.Schedules;

/// <summary>
/// Linear warm-up then cosine decay over the run. With s = round − 1 (0-based): for s &lt; W the rate is
/// base·(s + 1)/W; after it, with p = (s − W)/(T − W), min + (base − min)·(1 + cos πp)/2, so the first round after
/// warm-up trains at the base rate and the last one just above the floor.
/// </summary>
public sealed class CosineWarmupSchedule(int warmupRounds, int totalRounds, double minLearningRate) : ILearningRateSchedule
{
    public double LearningRate(int round, double baseLearningRate)
    {
        var step = round - 1;
        if (step < warmupRounds) return baseLearningRate * (step + 1) / warmupRounds;
        var floor = Math.Min(minLearningRate, baseLearningRate);
        var progress = (double)(step - warmupRounds) / Math.Max(1, totalRounds - warmupRounds);
        return floor + (baseLearningRate - floor) * (1 + Math.Cos(Math.PI * Math.Min(progress, 1))) / 2;
    }

    public string Summary() => $"cosine-warmup (warmup-rounds={warmupRounds}, over {totalRounds} rounds, min-learning-rate={minLearningRate:R})";
}
