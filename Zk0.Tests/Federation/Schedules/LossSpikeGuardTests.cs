using Zk0.Federation.Runs;
using Zk0.Federation.Schedules;
using Zk0.Federation.Strategies;

namespace Zk0.Tests.Federation.Schedules;

public sealed class LossSpikeGuardTests
{
    [Fact]
    public void ARoundMoreThanHalfAboveTheLastAdoptedLossIsNotAdopted()
    {
        var guard = new LossSpikeGuard(0.5);

        // Round: loss → compared with (limit = reference·1.5):
        // 1: 2.0 → none, adopted; 2: 2.8 → 2.0 (3.0), adopted; 3: 4.3 → 2.8 (4.2), spike; 4: no evaluation, adopted;
        // 5: 2.5 → 2.8, adopted; 6: 4.0 → 2.5 (3.75), spike; 7: NaN, spike; 8: 3.0 → 2.5 (3.75), adopted.
        var verdicts = guard.Judge([2.0, 2.8, 4.3, null, 2.5, 4.0, double.NaN, 3.0]);

        Assert.Equal([true, true, false, true, true, false, false, true], verdicts.Select(v => v.Adopted));
        Assert.Equal([null, 2.0, 2.8, 2.8, 2.8, 2.5, 2.5, 2.5], verdicts.Select(v => v.ReferenceLoss));
    }

    [Fact]
    public void JudgingTheSameStoredLossesAgainGivesTheSameVerdicts()
    {
        double?[] stored = [1.0, 1.6, 1.4, null, 2.2];

        // A restarted SuperLink judges from the same evaluations, round by round as they arrive or all at once.
        var all = new LossSpikeGuard(0.5).Judge(stored);
        var oneByOne = Enumerable.Range(1, stored.Length).Select(n => new LossSpikeGuard(0.5).Judge(stored[..n])[^1]);

        Assert.Equal(all, oneByOne);
        // 1.6 > 1.5 spike; 1.4 adopted; 2.2 > 1.4·1.5 = 2.1 spike.
        Assert.Equal([true, false, true, true, false], all.Select(v => v.Adopted));
    }

    [Theory]
    [InlineData("loss-spike-threshold=0")]
    [InlineData("loss-spike-threshold=half")]
    public void BadThresholdNamesItsKey(string assignments)
    {
        var config = RunConfiguration.Parse(RunConfiguration.ParseAssignments(assignments));

        var error = Assert.Throws<RunConfigurationException>(() => TrainSchedule.Parse(config, StrategyCatalog.Create(config)));

        Assert.Equal(ScheduleConfigKeys.LossSpikeThreshold, error.Key);
    }

    [Fact]
    public void WithoutTheKeyNoRoundIsJudged()
    {
        var config = RunConfiguration.Parse(RunConfiguration.ParseAssignments("learning-rate=0.001"));

        Assert.Null(TrainSchedule.Parse(config, StrategyCatalog.Create(config)).SpikeGuard);
    }
}
