namespace Zk0.Cli.Drill.Drills;

/// <summary>
/// The kill moments of a SuperLink kill drill, from a seed: the same seed gives the same moments. Phases take turns (from a
/// seeded start), so any few moments already cover init, uploads, aggregation, evaluation and plain time offsets; the
/// round and the delay after the marking event are drawn.
/// </summary>
public static class KillSchedule
{
    private static readonly RunPhase[] Phases = Enum.GetValues<RunPhase>();

    /// <param name="runSeconds">About how long an undisturbed run takes (the range of <see cref="RunPhase.Anytime"/> offsets).</param>
    public static IReadOnlyList<KillMoment> Create(int seed, int count, int rounds, double runSeconds)
    {
        var random = new Random(seed);
        var first = random.Next(Phases.Length);
        return Enumerable.Range(0, count).Select(i =>
        {
            var phase = Phases[(first + i) % Phases.Length];
            // A kill after the last round's results lands within milliseconds of the run's end (no evaluation waits
            // after it), so moments after a round's results are drawn from the rounds before the last.
            var round = random.Next(1, phase is RunPhase.Aggregation or RunPhase.Evaluation ? rounds : rounds + 1);
            var delayMs = phase switch
            {
                RunPhase.Init => random.Next(0, 300),
                RunPhase.Upload => random.Next(0, 150),
                RunPhase.Aggregation => random.Next(0, 20),
                RunPhase.Evaluation => random.Next(0, 100),
                _ => random.Next(0, (int)(runSeconds * 1000)),
            };
            return new KillMoment(phase, phase is RunPhase.Init or RunPhase.Anytime ? 0 : round, TimeSpan.FromMilliseconds(delayMs));
        }).ToList();
    }
}
