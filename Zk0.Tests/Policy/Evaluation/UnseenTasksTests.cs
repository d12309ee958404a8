using Zk0.Datasets.Simulation;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Evaluation;

namespace Zk0.Tests.Policy.Evaluation;

public sealed class UnseenTasksTests
{
    private static List<string> Nodes(int count) =>
        Enumerable.Range(0, count).Select(i => SyntheticDatasetUri.ForNode(i).ToString()).ToList();

    [Fact]
    public void Four_synthetic_nodes_leave_the_purple_and_orange_tasks_unseen()
    {
        var unseen = UnseenTasks.Default(Nodes(4));

        Assert.Equal([SyntheticDatasetUri.ForNode(4).ToString(), SyntheticDatasetUri.ForNode(5).ToString()], unseen);
        Assert.Equal(["purple-cube-to-left-bin", "orange-cube-to-far-bin"], unseen.Select(u => SyntheticDatasetUri.Parse(u).Task.Name));
    }

    [Fact]
    public void Unseen_tasks_are_recorded_as_the_nodes_data_is_with_the_default_episodes()
    {
        var nodes = new[] { "synth:red-cube-to-left-bin?episodes=150&recovery=2", "synth:green-cube-to-right-bin?episodes=150&recovery=2" };

        var unseen = UnseenTasks.Default(nodes);

        Assert.Equal(4, unseen.Count);
        Assert.All(unseen.Select(SyntheticDatasetUri.Parse), u => Assert.Equal((SyntheticDatasetUri.DefaultEpisodes, 2f), (u.Episodes, u.RecoveryNoiseDegrees)));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 4)]
    [InlineData(5, 1)]
    [InlineData(6, 0)]
    [InlineData(8, 0)]
    public void Every_task_no_node_trains_on_is_unseen(int nodes, int unseen)
    {
        var tasks = UnseenTasks.Default(Nodes(nodes));

        Assert.Equal(unseen, tasks.Count);
        Assert.Empty(tasks.Select(u => SyntheticDatasetUri.Parse(u).Task.Name).Intersect(Nodes(nodes).Select(u => SyntheticDatasetUri.Parse(u).Task.Name)));
    }

    [Fact]
    public void A_node_task_with_other_episodes_or_seed_is_still_seen()
    {
        var unseen = UnseenTasks.Default(["synth:red-cube-to-left-bin?episodes=7&seed=3"]);

        Assert.DoesNotContain(unseen, u => u.Contains("red-cube-to-left-bin"));
        Assert.Equal(5, unseen.Count);
    }

    [Fact]
    public void No_nodes_or_a_node_with_real_data_gets_no_synthetic_unseen_tasks()
    {
        Assert.Empty(UnseenTasks.Default([]));
        Assert.Empty(UnseenTasks.Default([SyntheticDatasetUri.ForNode(0).ToString(), "hf:lerobot/svla_so100_stacking"]));
    }

    [Fact]
    public void A_synthetic_uri_naming_no_task_leaves_no_default_instead_of_failing_the_run_outputs()
    {
        Assert.Empty(UnseenTasks.Default([SyntheticDatasetUri.ForNode(0).ToString(), "synth:no-such-task"]));
    }

    [Fact]
    public void The_run_config_overrides_the_default_and_none_turns_unseen_tasks_off()
    {
        IReadOnlyList<string> fallback = ["synth:a", "synth:b"];
        IReadOnlyList<string> seen = ["synth:b"];

        Assert.Equal(["synth:a"], UnseenTasks.For(new Dictionary<string, string>(), fallback, seen));
        Assert.Empty(UnseenTasks.For(new Dictionary<string, string> { [RunSettings.EvalUnseenDatasetsKey] = "none" }, fallback, seen));
        Assert.Equal(["local:/x", "synth:c"],
            UnseenTasks.For(new Dictionary<string, string> { [RunSettings.EvalUnseenDatasetsKey] = " local:/x , synth:b,synth:c" }, fallback, seen));
    }
}
