using Zk0.Federation.Schedules;

namespace Zk0.Tests.Federation.Schedules;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void ConstantScheduleKeepsTheBaseRate()
    {
        var schedule = new ConstantSchedule();

        Assert.Equal(3e-4, schedule.LearningRate(1, 3e-4));
        Assert.Equal(3e-4, schedule.LearningRate(50, 3e-4));
    }

    [Fact]
    public void CosineWarmupRampsLinearlyThenDecaysOverTheRemainingRounds()
    {
        // W = 2, T = 6, base 1, floor 0. Warm-up: s = 0 → 1/2, s = 1 → 2/2. Then p = (s − 2)/4:
        // s = 2 → cos 0 → 1; s = 3 → (1 + cos π/4)/2 = 0.8535534; s = 4 → (1 + cos π/2)/2 = 0.5; s = 5 → (1 + cos 3π/4)/2 = 0.1464466.
        var schedule = new CosineWarmupSchedule(warmupRounds: 2, totalRounds: 6, minLearningRate: 0);
        double[] expected = [0.5, 1.0, 1.0, 0.8535534, 0.5, 0.1464466];

        for (var round = 1; round <= 6; round++) Assert.Equal(expected[round - 1], schedule.LearningRate(round, 1.0), 6);
    }

    [Fact]
    public void CosineWarmupDecaysTowardsTheFloor()
    {
        // Same shape with floor 0.1: round 5 → 0.1 + 0.9·0.5 = 0.55; round 6 → 0.1 + 0.9·0.1464466 = 0.2318019.
        var schedule = new CosineWarmupSchedule(warmupRounds: 2, totalRounds: 6, minLearningRate: 0.1);

        Assert.Equal(0.55, schedule.LearningRate(5, 1.0), 6);
        Assert.Equal(0.2318019, schedule.LearningRate(6, 1.0), 6);
    }

    [Fact]
    public void CosineRestartsStartsCyclesThatGrowByTheMultiplier()
    {
        // T₀ = 2, m = 2: cycles of 2, 4, 8 rounds starting at rounds 1, 3, 7.
        // Rounds 1..2: positions 0, 1 of 2 → 1, 0.5. Rounds 3..6: positions 0..3 of 4 → 1, 0.8535534, 0.5, 0.1464466. Round 7 → 1.
        var schedule = new CosineRestartsSchedule(period: 2, multiplier: 2, minLearningRate: 0);
        double[] expected = [1.0, 0.5, 1.0, 0.8535534, 0.5, 0.1464466, 1.0];

        for (var round = 1; round <= 7; round++) Assert.Equal(expected[round - 1], schedule.LearningRate(round, 1.0), 6);
    }

    [Fact]
    public void CosineRestartsWithUnitMultiplierRepeatsTheSameCycle()
    {
        // T₀ = 3: positions 0, 1, 2 → 1, (1 + cos π/3)/2 = 0.75, (1 + cos 2π/3)/2 = 0.25, then again.
        var schedule = new CosineRestartsSchedule(period: 3, multiplier: 1, minLearningRate: 0);
        double[] expected = [1.0, 0.75, 0.25, 1.0, 0.75, 0.25];

        for (var round = 1; round <= 6; round++) Assert.Equal(expected[round - 1] * 2e-3, schedule.LearningRate(round, 2e-3), 9);
    }
}
