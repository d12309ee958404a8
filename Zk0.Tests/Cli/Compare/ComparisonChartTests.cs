using Zk0.Cli.Compare;

namespace Zk0.Tests.Cli.Compare;

public sealed class ComparisonChartTests
{
    [Theory]
    [InlineData("synth:blue-cube-to-far-bin?episodes=20&seed=0", "blue-cube-to-far-bin")]
    [InlineData("local:/data/so100/red/", "red")]
    [InlineData("hf:lerobot/svla_so100_stacking", "svla_so100_stacking")]
    [InlineData("overall", "overall")]
    public void Tick_labels_are_the_dataset_name_without_scheme_path_or_query(string uri, string label) =>
        Assert.Equal(label, ComparisonChart.ShortName(uri));
}
