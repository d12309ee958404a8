using Zk0.Cli.Compare;

namespace Zk0.Tests.Cli.Compare;

public sealed class SeedRunSetTests
{
    private static string Stats(string mean) =>
        """{"action":{"min":[0],"max":[1],"mean":[""" + mean + """],"std":[0.5],"count":[3]}}""";

    private static FederatedRun Run(string folder, long seed, string normalization, params string[] datasets) => new(
        folder, "run-" + folder,
        new Dictionary<string, string> { ["policy"] = "bc", ["seed"] = seed.ToString(), ["normalization-stats"] = normalization },
        datasets.Select((uri, i) => new RunNode(i, uri, "ds-" + uri)).ToList(),
        ["synth:a", "synth:b"], null, [new FederatedRound(1, 8, null)], TimeSpan.FromSeconds(1), folder + "/final", []);

    [Fact]
    public void SeedsWhoseNodesRegisteredInAnotherOrderAndWhosePooledStatisticsDifferInTheLastBitAreOneComparison()
    {
        var first = Run("a", 1, Stats("0.6000000000000001"), "synth:a", "synth:b");
        var second = Run("b", 2, Stats("0.6"), "synth:b", "synth:a");

        SeedRunSet.Check([first, second], 2);
    }

    [Fact]
    public void SeedsWhoseNodesTrainedOnOtherDatasetsAreRefused()
    {
        var first = Run("a", 1, Stats("0.5"), "synth:a", "synth:b");
        var second = Run("b", 2, Stats("0.5"), "synth:a", "synth:c");

        var error = Assert.Throws<RunFolderException>(() => SeedRunSet.Check([first, second], 2));

        Assert.Contains("nodes' datasets", error.Message);
    }
}
