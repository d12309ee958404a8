using System.Text.Json;
using Zk0.AppHost;
using Zk0.AppHost.Runs;
using Zk0.Policy.Abstractions;

namespace Zk0.Tests.AppHost.Runs;

public sealed class UnseenEvalDatasetsTests
{
    private static readonly List<string> FourNodes = Enumerable.Range(0, 4).Select(NodeDatasets.Default).ToList();

    // Recorded as the nodes' data, with the default number of episodes.
    private static string Unseen(int task) =>
        (Zk0.Datasets.Simulation.SyntheticDatasetUri.Parse(NodeDatasets.Default(task)) with { Episodes = Zk0.Datasets.Simulation.SyntheticDatasetUri.DefaultEpisodes }).ToString();

    [Fact]
    public void The_default_local_run_scores_tasks_4_and_5_as_unseen()
    {
        var unseen = EvalDatasets.UnseenOf(new Dictionary<string, string>(), FourNodes);

        Assert.Equal([Unseen(4), Unseen(5)], unseen);
        Assert.Empty(unseen.Intersect(EvalDatasets.Of(new Dictionary<string, string>(), FourNodes)));
    }

    [Fact]
    public void A_task_the_run_evaluates_as_its_own_is_not_also_unseen_and_none_turns_them_off()
    {
        var evaluatesTask4 = new Dictionary<string, string> { [RunSettings.EvalDatasetsKey] = $"{FourNodes[0]},{Unseen(4)}" };
        var none = new Dictionary<string, string> { [RunSettings.EvalUnseenDatasetsKey] = "none" };

        Assert.Equal([Unseen(5)], EvalDatasets.UnseenOf(evaluatesTask4, FourNodes));
        Assert.Empty(EvalDatasets.UnseenOf(none, FourNodes));
    }

    [Fact]
    public void Run_json_lists_the_unseen_eval_datasets()
    {
        var unseen = EvalDatasets.UnseenOf(new Dictionary<string, string>(), FourNodes);
        var description = new RunDescription("run-u", DateTimeOffset.UnixEpoch, "running", null, new Dictionary<string, string> { ["seed"] = "1" },
            [], FourNodes, EvaluationSeed: 0, RuntimeVersions.Current(), unseen);
        using var stream = new MemoryStream();
        RunJsonFile.Write(description, stream);

        using var json = JsonDocument.Parse(stream.ToArray());
        Assert.Equal(unseen, json.RootElement.GetProperty("unseen_eval_datasets").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(FourNodes, json.RootElement.GetProperty("eval_datasets").EnumerateArray().Select(e => e.GetString()!));
    }
}
