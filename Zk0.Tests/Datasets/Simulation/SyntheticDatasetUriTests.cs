using Zk0.Datasets;
using Zk0.Datasets.Simulation;

namespace Zk0.Tests.Datasets.Simulation;

public sealed class SyntheticDatasetUriTests
{
    [Fact]
    public void BareTaskNameTakesTheDefaultEpisodesAndSeed()
    {
        var uri = SyntheticDatasetUri.Parse("synth:green-cube-to-right-bin");

        Assert.Equal(SimTaskCatalog.Get("green-cube-to-right-bin"), uri.Task);
        Assert.Equal(SyntheticDatasetUri.DefaultEpisodes, uri.Episodes);
        Assert.Equal(SyntheticDatasetUri.DefaultSeed, uri.Seed);
    }

    [Fact]
    public void EpisodesAndSeedComeFromTheQueryAndRoundTrip()
    {
        var uri = SyntheticDatasetUri.Parse("SYNTH:blue-cube-to-far-bin?seed=-7&episodes=3");

        Assert.Equal((3, -7), (uri.Episodes, uri.Seed));
        Assert.Equal(uri, SyntheticDatasetUri.Parse(uri.ToString()));
        Assert.Equal("synth:blue-cube-to-far-bin?episodes=3&seed=-7", uri.ToString());
    }

    [Fact]
    public void ARecoveryWobbleIsPartOfTheUriOnlyWhenGiven()
    {
        var uri = SyntheticDatasetUri.Parse("synth:red-cube-to-left-bin?episodes=150&recovery=2.5");

        Assert.Equal(2.5f, uri.RecoveryNoiseDegrees);
        Assert.Equal("synth:red-cube-to-left-bin?episodes=150&seed=0&recovery=2.5", uri.ToString());
        Assert.Equal(uri, SyntheticDatasetUri.Parse(uri.ToString()));
        Assert.Equal(0f, SyntheticDatasetUri.Parse("synth:red-cube-to-left-bin").RecoveryNoiseDegrees);
    }

    [Theory]
    [InlineData("synth:red-cube-to-left-bin?recovery=-1", "'recovery' must be a number of degrees from 0 to 20, got '-1'")]
    [InlineData("synth:red-cube-to-left-bin?recovery=lots", "got 'lots'")]
    [InlineData("synth:pink-elephant", "red-cube-to-left-bin")]
    [InlineData("synth:", "names no task")]
    [InlineData("synth:red-cube-to-left-bin?episodes=0", "'episodes' must be a whole number from 1")]
    [InlineData("synth:red-cube-to-left-bin?episodes=many", "got 'many'")]
    [InlineData("synth:red-cube-to-left-bin?colour=red", "unknown parameter 'colour'")]
    [InlineData("local:/data/x", "not a synthetic dataset URI")]
    public void MalformedUrisFailWithAMessageSayingWhatIsWrong(string text, string expected)
    {
        var error = Assert.Throws<DatasetException>(() => SyntheticDatasetUri.Parse(text));

        Assert.Contains(expected, error.Message);
        Assert.False(SyntheticDatasetUri.TryParse(text, out _));
    }

    [Fact]
    public void NodesGetTheirOwnTaskAndHeldOutScenesUseASeedNoTrainingSetUses()
    {
        var first = SyntheticDatasetUri.ForNode(0, episodes: 8);
        var second = SyntheticDatasetUri.ForNode(1, episodes: 8);
        var heldOut = SyntheticDatasetUri.HeldOut(first.Task);

        Assert.NotEqual(first.Task, second.Task);
        Assert.Equal("synth:red-cube-to-left-bin?episodes=8&seed=0", first.ToString());
        Assert.Equal(first.Task, heldOut.Task);
        Assert.NotEqual(first.Seed, heldOut.Seed);
    }
}
