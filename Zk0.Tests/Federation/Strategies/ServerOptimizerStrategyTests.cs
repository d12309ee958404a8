using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Strategies;

/// <summary>FedAvgM and the FedOpt family over two rounds, each number worked out by hand in the comments.</summary>
public sealed class ServerOptimizerStrategyTests : IDisposable
{
    private readonly VectorModels _models = new();

    public void Dispose() => _models.Dispose();

    [Fact]
    public void FedAvgMAppliesServerMomentumAcrossRounds()
    {
        var strategy = VectorModels.Strategy("strategy=fedavgm server-learning-rate=0.5 server-momentum=0.5");
        var global = _models.Global(1, 1);

        // Round 1: average [0, 2]; g = global − average = [1, −1]; v = g; new = [1, 1] − 0.5·[1, −1] = [0.5, 1.5].
        var round1 = _models.Round(strategy, 1, global, _models.Update("a", 1, 0, 2));
        Assert.Equal([0.5f, 1.5f], VectorModels.W(round1));

        // Round 2: average [−0.5, 1.5]; g = [1, 0]; v = 0.5·[1, −1] + [1, 0] = [1.5, −0.5]; new = [0.5 − 0.75, 1.5 + 0.25].
        var round2 = _models.Round(strategy, 2, round1, _models.Update("a", 1, -0.5f, 1.5f));
        Assert.Equal([-0.25f, 1.75f], VectorModels.W(round2));
        Assert.Equal([7.5f], VectorModels.Read(round2, "frozen"));
        Assert.Equal(42, VectorModels.Step(round2));
    }

    [Fact]
    public void FedAvgMWithoutMomentumAndUnitLearningRateIsFedAvg()
    {
        var global = _models.Global(1, 1);

        var model = _models.Round(VectorModels.Strategy("strategy=fedavgm server-momentum=0"), 1, global,
            _models.Update("a", 1, 2, 4), _models.Update("b", 3, 6, 8));

        // (2 + 18)/4 = 5, (4 + 24)/4 = 7
        Assert.Equal([5f, 7f], VectorModels.W(model));
    }

    [Fact]
    public void FedAdamUsesFlowersBiasCorrectedStep()
    {
        var strategy = VectorModels.Strategy("strategy=fedadam server-learning-rate=1 beta-1=0.5 beta-2=0.5 tau=1e-12");
        var global = _models.Global(0, 0);

        // Round 1: Δ = [2, −4]; m = 0.5·Δ = [1, −2]; v = 0.5·Δ² = [2, 8]; η₁ = √(1 − 0.5²)/(1 − 0.5²) = 1/√0.75 = 1.1547005;
        // new = η₁·m/√v = 1.1547005·[1/√2, −2/√8] = [0.8164966, −0.8164966].
        var round1 = _models.Round(strategy, 1, global, _models.Update("a", 5, 2, -4));
        var w1 = VectorModels.W(round1);
        Assert.Equal(0.8164966f, w1[0], 5);
        Assert.Equal(-0.8164966f, w1[1], 5);

        // Round 2: Δ = [2, 0]; m = 0.5·[1, −2] + 0.5·[2, 0] = [1.5, −1]; v = 0.5·[2, 8] + 0.5·[4, 0] = [3, 4];
        // η₂ = √(1 − 0.5³)/(1 − 0.5³) = 1/√0.875 = 1.0690450; step = 1.0690450·[1.5/√3, −1/2] = [0.9258201, −0.5345225].
        var round2 = _models.Round(strategy, 2, round1, _models.Update("a", 5, w1[0] + 2, w1[1]));
        var w2 = VectorModels.W(round2);
        Assert.Equal(0.8164966f + 0.9258201f, w2[0], 5);
        Assert.Equal(-0.8164966f - 0.5345225f, w2[1], 5);
    }

    [Fact]
    public void FedAdamScalesItsStepByTheRoundsLearningRateSchedule()
    {
        var strategy = VectorModels.Strategy("strategy=fedadam server-learning-rate=1 beta-1=0.5 beta-2=0.5 tau=1e-12");
        var global = _models.Global(0, 0);

        // As round 1 above ([0.8164966, −0.8164966] at scale 1), at a quarter of the run's learning rate.
        var round1 = _models.Round(strategy, VectorModels.Config(), 1, global, learningRateScale: 0.25, _models.Update("a", 5, 2, -4));
        var w1 = VectorModels.W(round1);
        Assert.Equal(0.2041241f, w1[0], 5);
        Assert.Equal(-0.2041241f, w1[1], 5);
    }

    [Fact]
    public void FedAdagradScalesItsStepByTheRoundsLearningRateSchedule()
    {
        var strategy = VectorModels.Strategy("strategy=fedadagrad server-learning-rate=1 tau=1e-12");

        // Δ = [3, −4]; v = [9, 16]; new = 0.5·[3/3, −4/4].
        var round1 = _models.Round(strategy, VectorModels.Config(), 1, _models.Global(0, 0), learningRateScale: 0.5, _models.Update("a", 1, 3, -4));
        Assert.Equal([0.5f, -0.5f], VectorModels.W(round1).Select(x => MathF.Round(x, 5)));
    }

    [Fact]
    public void FedAvgMLeavesItsStepToTheNodesLearningRate()
    {
        var strategy = VectorModels.Strategy("strategy=fedavgm server-learning-rate=0.5 server-momentum=0.5");

        // As round 1 of FedAvgMAppliesServerMomentumAcrossRounds: the nodes' updates already carry the schedule.
        var round1 = _models.Round(strategy, VectorModels.Config(), 1, _models.Global(1, 1), learningRateScale: 0.25, _models.Update("a", 1, 0, 2));
        Assert.Equal([0.5f, 1.5f], VectorModels.W(round1));
    }

    [Fact]
    public void FedYogiGrowsOrShrinksTheSecondMomentByTheSignOfVMinusDeltaSquared()
    {
        var strategy = VectorModels.Strategy("strategy=fedyogi server-learning-rate=1 beta-1=0.5 beta-2=0.5 tau=1e-12");
        var global = _models.Global(0, 0);

        // Round 1: Δ = [2, −4]; m = [1, −2]; v = 0 − 0.5·Δ²·sign(0 − Δ²) = [2, 8]; new = [1/√2, −2/√8] = [0.7071068, −0.7071068].
        var round1 = _models.Round(strategy, 1, global, _models.Update("a", 1, 2, -4));
        var w1 = VectorModels.W(round1);
        Assert.Equal(0.7071068f, w1[0], 5);
        Assert.Equal(-0.7071068f, w1[1], 5);

        // Round 2: Δ = [1, 4]; m = 0.5·[1, −2] + 0.5·[1, 4] = [1, 1];
        // v₀ = 2 − 0.5·1·sign(2 − 1) = 1.5 (shrinks), v₁ = 8 − 0.5·16·sign(8 − 16) = 16 (grows);
        // new = w1 + [1/√1.5, 1/√16] = [0.7071068 + 0.8164966, −0.7071068 + 0.25].
        var round2 = _models.Round(strategy, 2, round1, _models.Update("a", 1, w1[0] + 1, w1[1] + 4));
        var w2 = VectorModels.W(round2);
        Assert.Equal(1.5236034f, w2[0], 5);
        Assert.Equal(-0.4571068f, w2[1], 5);
    }

    [Fact]
    public void FedAdagradAccumulatesSquaredPseudoGradients()
    {
        var strategy = VectorModels.Strategy("strategy=fedadagrad server-learning-rate=1 tau=1e-12");
        var global = _models.Global(0, 0);

        // Round 1: Δ = [3, −4]; v = [9, 16]; new = [3/3, −4/4] = [1, −1].
        var round1 = _models.Round(strategy, 1, global, _models.Update("a", 1, 3, -4));
        Assert.Equal([1f, -1f], VectorModels.W(round1).Select(x => MathF.Round(x, 5)));

        // Round 2: Δ = [4, 0]; v = [25, 16]; new = [1 + 4/5, −1 + 0] = [1.8, −1].
        var round2 = _models.Round(strategy, 2, round1, _models.Update("a", 1, 5, -1));
        var w2 = VectorModels.W(round2);
        Assert.Equal(1.8f, w2[0], 5);
        Assert.Equal(-1f, w2[1], 5);
    }

    [Fact]
    public void ServerStateComesFromDiskSoANewStrategyInstanceContinuesTheRun()
    {
        var config = "strategy=fedavgm server-learning-rate=0.5 server-momentum=0.5";
        var global = _models.Global(1, 1);
        var round1 = _models.Round(VectorModels.Strategy(config), 1, global, _models.Update("a", 1, 0, 2));

        // A fresh instance, as after a SuperLink restart, and the same round done twice: both give round 2 of the
        // momentum test ([−0.25, 1.75]), never the first-round formula ([0, 1.5]).
        var update = _models.Update("a", 1, -0.5f, 1.5f);
        var first = _models.Round(VectorModels.Strategy(config), 2, round1, update);
        var redone = _models.Round(VectorModels.Strategy(config), 2, round1, update);

        Assert.Equal([-0.25f, 1.75f], VectorModels.W(first));
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(redone));
        var store = new OptimizerStateStore(_models.StateDirectory, "fedavgm");
        Assert.Equal([1, 2], store.Rounds().Order());
    }

    [Fact]
    public void OlderStateFilesArePrunedKeepingThePreviousRound()
    {
        var strategy = VectorModels.Strategy("strategy=fedadagrad");
        var model = _models.Global(0, 0);
        for (var round = 1; round <= 4; round++)
            model = _models.Round(strategy, round, model, _models.Update("a", 1, round, -round));

        Assert.Equal([3, 4], new OptimizerStateStore(_models.StateDirectory, "fedadagrad").Rounds().Order());
    }

    [Fact]
    public void StatefulStrategyWithoutAStateDirectoryFailsClearly()
    {
        var global = _models.Global(0, 0);

        var error = Assert.Throws<ArgumentException>(() => VectorModels.Strategy("strategy=fedadam").BeginAggregateTrain(1, VectorModels.Config(), global));

        Assert.Contains("fedadam", error.Message);
        Assert.Contains("state directory", error.Message);
    }

    [Fact]
    public void CorruptStateFileIsReportedInsteadOfSilentlyResettingTheOptimizer()
    {
        var strategy = VectorModels.Strategy("strategy=fedadam");
        var round1 = _models.Round(strategy, 1, _models.Global(0, 0), _models.Update("a", 1, 1, 1));
        var store = new OptimizerStateStore(_models.StateDirectory, "fedadam");
        File.WriteAllBytes(store.PathFor(1), [1, 2, 3]);

        var error = Assert.Throws<InvalidDataException>(() => _models.Round(strategy, 2, round1, _models.Update("a", 1, 2, 2)));

        Assert.Contains("round 1", error.Message);
        Assert.Contains(store.PathFor(1), error.Message);
    }
}
