using Zk0.Datasets.Simulation;

namespace Zk0.Tests.Datasets.Simulation;

public sealed class ClosedLoopEvaluationTests
{
    private static readonly SimulatorOptions Small = SimulatorOptions.Default with { ImageWidth = 32, ImageHeight = 24 };

    [Fact]
    public async Task ReplayingTheRecordedDemonstrationsInChunksSucceedsEveryEpisode()
    {
        var task = SimTaskCatalog.Get("orange-cube-to-far-bin");
        const int seed = 900;
        var recorded = new List<Queue<float[]>>();
        using (var simulator = new ArmSimulator(task, Small))
            for (var episode = 0; episode < 2; episode++)
                recorded.Add(new Queue<float[]>(DemonstrationRecorder.Record(simulator, SyntheticDatasets.EpisodeSeed(seed, episode)).Frames.Select(f => f.Action)));
        SimPolicy replay = (observation, context, _) =>
        {
            Assert.Equal(ArmJoints.Count, observation.State.Length);
            var queue = recorded[context.Episode];
            var chunk = new List<float[]>();
            while (chunk.Count < 10 && queue.Count > 0) chunk.Add(queue.Dequeue());
            if (chunk.Count == 0) chunk.Add(observation.State);
            return ValueTask.FromResult<IReadOnlyList<float[]>>(chunk);
        };

        var result = await ClosedLoopEvaluation.RunAsync(task, replay, episodes: 2, seed, options: Small);

        Assert.Equal(2, result.Successes);
        Assert.Equal(1.0, result.SuccessRate);
        Assert.NotNull(result.MeanStepsToSuccess);
    }

    [Fact]
    public async Task APolicyThatHoldsStillNeverSucceedsAndUsesTheWholeBudget()
    {
        SimPolicy holdStill = (observation, _, _) => ValueTask.FromResult<IReadOnlyList<float[]>>([observation.State]);

        var result = await ClosedLoopEvaluation.RunAsync(SimTaskCatalog.Default, holdStill, episodes: 2, seed: 1, maxStepsPerEpisode: 25, options: Small);

        Assert.Equal(0, result.Successes);
        Assert.Null(result.MeanStepsToSuccess);
        Assert.All(result.Episodes, e => Assert.Equal(25, e.Steps));
        Assert.NotEqual(result.Episodes[0].Seed, result.Episodes[1].Seed);
    }

    [Fact]
    public async Task APolicyReturningNoActionIsReported()
    {
        SimPolicy silent = (_, _, _) => ValueTask.FromResult<IReadOnlyList<float[]>>([]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ClosedLoopEvaluation.RunAsync(SimTaskCatalog.Default, silent, 1, 0, options: Small));

        Assert.Contains("no action", error.Message);
    }
}
