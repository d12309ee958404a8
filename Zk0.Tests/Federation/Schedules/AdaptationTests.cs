using Zk0.Federation.Schedules;

namespace Zk0.Tests.Federation.Schedules;

public sealed class AdaptationTests
{
    private static EvalTrendAdaptation Zk0Rule(double lrMin = 1e-5, double lrMax = 1e-3, double muMin = 0, double muMax = 1) =>
        new(new EvalTrendOptions(StallThreshold: 0.01, DivergenceThreshold: 0.05, StallFactor: 0.8, DivergenceFactor: 1.1, lrMin, lrMax, muMin, muMax));

    [Fact]
    public void NothingChangesBeforeThreeEvaluations()
    {
        var adapted = Zk0Rule().Adapt(3, 1e-3, 0.01, [1.0, 1.5]);

        Assert.Equal((1e-3, 0.01, 1.0), (adapted.LearningRate, adapted.ProximalMu, adapted.LastFactor));
    }

    [Fact]
    public void StallMultipliesMuAndLearningRateByPointEight()
    {
        // (1.0 − 0.995)/1.0 = 0.005 < 0.01 → stall: 1e-3·0.8 = 8e-4, 0.01·0.8 = 0.008.
        var adapted = Zk0Rule().Adapt(4, 1e-3, 0.01, [1.0, 0.99, 0.995]);

        Assert.Equal(8e-4, adapted.LearningRate, 12);
        Assert.Equal(0.008, adapted.ProximalMu, 12);
        Assert.Equal("stall", adapted.Reason);
    }

    [Fact]
    public void DivergenceMultipliesByOnePointOneClampedToTheBounds()
    {
        // (1.0 − 1.06)/1.0 = −0.06 < −0.05 → divergence: LR 5e-4·1.1 = 5.5e-4, mu 0.01·1.1 = 0.011.
        var adapted = Zk0Rule().Adapt(4, 5e-4, 0.01, [1.0, 1.02, 1.06]);
        Assert.Equal(5.5e-4, adapted.LearningRate, 12);
        Assert.Equal(0.011, adapted.ProximalMu, 12);
        Assert.Equal("divergence", adapted.Reason);

        // From the upper bound the LR stays there (1e-3·1.1 → 1e-3); mu is capped by its own bound (0.01·1.1 → 0.0105).
        var capped = Zk0Rule(muMax: 0.0105).Adapt(4, 1e-3, 0.01, [1.0, 1.02, 1.06]);
        Assert.Equal(1e-3, capped.LearningRate, 12);
        Assert.Equal(0.0105, capped.ProximalMu, 12);
    }

    [Fact]
    public void SteadyProgressLeavesTheValuesAlone()
    {
        // (1.0 − 0.8)/1.0 = 0.2 ≥ 0.01 → progress.
        var adapted = Zk0Rule().Adapt(4, 1e-3, 0.01, [1.0, 0.9, 0.8]);

        Assert.Equal((1e-3, 0.01, "progress"), (adapted.LearningRate, adapted.ProximalMu, adapted.Reason));
    }

    [Fact]
    public void EachNewEvaluationAdjustsOnceAndTheEffectCompounds()
    {
        // Windows (1.0, 0.999, 0.998): 0.002 → stall; (0.999, 0.998, 0.9975): 0.0015 → stall. Twice ×0.8 = ×0.64.
        var adapted = Zk0Rule().Adapt(5, 1e-3, 0.01, [1.0, 0.999, 0.998, 0.9975]);
        Assert.Equal(6.4e-4, adapted.LearningRate, 12);
        Assert.Equal(0.0064, adapted.ProximalMu, 12);

        // With a floor of 7e-4 the second stall stops at the floor: 8e-4 → max(6.4e-4, 7e-4).
        Assert.Equal(7e-4, Zk0Rule(lrMin: 7e-4).Adapt(5, 1e-3, 0.01, [1.0, 0.999, 0.998, 0.9975]).LearningRate, 12);
    }

    [Fact]
    public void MuHalvesEveryKRounds()
    {
        var halving = new MuHalving(everyRounds: 3);

        // Rounds 1–3: 0.08; 4–6: 0.04; 7: 0.02. The learning rate is not touched.
        Assert.Equal([0.08, 0.08, 0.08, 0.04, 0.04, 0.04, 0.02], Enumerable.Range(1, 7).Select(r => halving.Adapt(r, 1e-3, 0.08, []).ProximalMu));
        Assert.Equal(1e-3, halving.Adapt(7, 1e-3, 0.08, [5, 4, 3]).LearningRate);
    }
}
