using Zk0.Datasets.Simulation;

namespace Zk0.Tests.Datasets.Simulation;

public sealed class SimTaskCatalogTests
{
    [Fact]
    public void CatalogHasSeveralDistinctlyNamedTasksWithDifferentCubesOrGoals()
    {
        Assert.True(SimTaskCatalog.All.Count >= 4);
        Assert.Equal(SimTaskCatalog.All.Count, SimTaskCatalog.Names.Distinct().Count());
        Assert.Equal(SimTaskCatalog.All.Count, SimTaskCatalog.All.Select(t => t.CubeColor).Distinct().Count());
        Assert.Equal(SimTaskCatalog.All.Count, SimTaskCatalog.All.Select(t => t.Instruction).Distinct().Count());
        Assert.True(SimTaskCatalog.All.Select(t => t.GoalBin).Distinct().Count() >= 3);
    }

    [Fact]
    public void TasksAreFoundByNameIgnoringCase()
    {
        var task = SimTaskCatalog.Get("RED-cube-to-left-bin");

        Assert.Equal("pick up the red cube and place it in the left bin", task.Instruction);
        Assert.Same(Tabletop.LeftBin, task.GoalBin);
    }

    [Fact]
    public void UnknownTaskNameFailsListingTheKnownTasks()
    {
        var error = Assert.Throws<UnknownSimTaskException>(() => SimTaskCatalog.Get("pink-elephant"));

        Assert.Contains("pink-elephant", error.Message);
        foreach (var name in SimTaskCatalog.Names) Assert.Contains(name, error.Message);
    }

    [Fact]
    public void NodesAreDealtTasksRoundRobinSoNeighboursDiffer()
    {
        var count = SimTaskCatalog.All.Count;

        Assert.NotEqual(SimTaskCatalog.ForNode(0), SimTaskCatalog.ForNode(1));
        Assert.Equal(SimTaskCatalog.ForNode(1), SimTaskCatalog.ForNode(1 + count));
        Assert.Throws<ArgumentOutOfRangeException>(() => SimTaskCatalog.ForNode(-1));
    }

    [Fact]
    public void CubesNeverStartInsideABinAndGoalsLieOnTheTable()
    {
        foreach (var task in SimTaskCatalog.All)
        {
            var start = task.StartRegion;
            foreach (var bin in Tabletop.Bins)
            {
                var overlaps = start.MinX < bin.Area.MaxX && bin.Area.MinX < start.MaxX
                               && start.MinY < bin.Area.MaxY && bin.Area.MinY < start.MaxY;
                Assert.False(overlaps, $"{task.Name} may start inside the {bin.Name} bin");
            }
            Assert.True(Tabletop.Table.Contains(task.GoalBin.Area.Center));
        }
    }
}
