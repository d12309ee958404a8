using Zk0.Cli.Drill.Drills;

namespace Zk0.Tests.Cli.Drill.Drills;

public sealed class KillScheduleTests
{
    [Fact]
    public void The_same_seed_gives_the_same_moments_and_another_seed_others()
    {
        var first = KillSchedule.Create(seed: 7, count: 20, rounds: 4, runSeconds: 3);
        var again = KillSchedule.Create(seed: 7, count: 20, rounds: 4, runSeconds: 3);
        var other = KillSchedule.Create(seed: 8, count: 20, rounds: 4, runSeconds: 3);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Any_five_consecutive_moments_cover_every_phase(int seed)
    {
        var moments = KillSchedule.Create(seed, count: 20, rounds: 4, runSeconds: 3);

        for (var start = 0; start + 5 <= moments.Count; start++)
            Assert.Equal(Enum.GetValues<RunPhase>().ToHashSet(), moments.Skip(start).Take(5).Select(m => m.Phase).ToHashSet());
    }

    [Fact]
    public void Moments_after_a_rounds_results_are_never_in_the_last_round_and_offsets_stay_within_the_run()
    {
        var moments = Enumerable.Range(0, 50).SelectMany(seed => KillSchedule.Create(seed, count: 20, rounds: 4, runSeconds: 3)).ToList();

        Assert.All(moments.Where(m => m.Phase is RunPhase.Aggregation or RunPhase.Evaluation), m => Assert.InRange(m.Round, 1, 3));
        Assert.All(moments.Where(m => m.Phase == RunPhase.Upload), m => Assert.InRange(m.Round, 1, 4));
        Assert.All(moments.Where(m => m.Phase is RunPhase.Init or RunPhase.Anytime), m => Assert.Equal(0, m.Round));
        Assert.All(moments, m => Assert.InRange(m.Delay, TimeSpan.Zero, TimeSpan.FromSeconds(3)));
        Assert.Contains(moments, m => m.Phase == RunPhase.Upload && m.Round == 4);
    }
}
