using Zk0.Federation.Normalization;

namespace Zk0.Tests.Federation.Normalization;

public sealed class NormalizationStatisticsTests
{
    // Dataset A holds the values −1 and 1 (mean 0, std 1); B holds 3 and 5 (mean 4, std 1). Their union, −1, 1, 3, 5, has
    // mean 2 and variance (9 + 1 + 1 + 9) / 4 = 5.
    private static NormalizationStatistics A => new([new("action", 2, [-1], [1], [0], [1])]);
    private static NormalizationStatistics B => new([new("action", 2, [3], [5], [4], [1])]);

    [Fact]
    public void PoolingGivesTheStatisticsOfTheUnionOfTheDatasets()
    {
        var pooled = NormalizationStatistics.Pool([A, B]).Of("action")!;

        Assert.Equal(4, pooled.Count);
        Assert.Equal([-1.0], pooled.Min);
        Assert.Equal([5.0], pooled.Max);
        Assert.Equal(2.0, pooled.Mean[0], 12);
        Assert.Equal(Math.Sqrt(5), pooled.Std[0], 12);
    }

    [Fact]
    public void PoolingWeighsEachDatasetByItsFrames()
    {
        // Three frames at 10 (std 0) and one at 2: mean 8, variance (3·4 + 36) / 4 = 12.
        var many = new NormalizationStatistics([new("state", 3, [10], [10], [10], [0])]);
        var one = new NormalizationStatistics([new("state", 1, [2], [2], [2], [0])]);

        var pooled = NormalizationStatistics.Pool([many, one]).Of("state")!;

        Assert.Equal(8.0, pooled.Mean[0], 12);
        Assert.Equal(Math.Sqrt(12), pooled.Std[0], 12);
    }

    [Fact]
    public void OnlyFeaturesEveryDatasetHasArePooled()
    {
        var withState = new NormalizationStatistics([.. A.Features, new("state", 2, [0], [1], [0.5], [0.5])]);

        var pooled = NormalizationStatistics.Pool([withState, B]);

        Assert.Equal(["action"], pooled.Features.Select(f => f.Feature));
    }

    [Fact]
    public void DatasetsThatDisagreeOnAFeaturesDimensionsCannotBePooled()
    {
        var wide = new NormalizationStatistics([new("action", 2, [0, 0], [1, 1], [0.5, 0.5], [0.5, 0.5])]);

        var error = Assert.Throws<InvalidDataException>(() => NormalizationStatistics.Pool([A, wide]));

        Assert.Contains("'action' has 1 dimensions in one dataset and 2 in another", error.Message);
    }

    [Fact]
    public void TheJsonIsLeRobotsStatsLayoutAndReadsBackExactly()
    {
        var pooled = NormalizationStatistics.Pool([A, B]);

        var json = pooled.ToJson();
        var read = NormalizationStatistics.Parse(json).Of("action")!;

        Assert.Contains("\"action\":{\"min\":[-1],\"max\":[5],\"mean\":[2],\"std\":[", json);
        Assert.Contains("\"count\":[4]", json);
        Assert.Equal(pooled.Of("action")!.Std, read.Std);
        Assert.Equal(4, read.Count);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1, 2]", "expected a JSON object of features")]
    [InlineData("{}", "no feature has statistics")]
    [InlineData("{\"action\": 3}", "'action' is not an object")]
    [InlineData("{\"action\": {\"min\": [0], \"max\": [1], \"mean\": [0], \"std\": [1]}}", "'action'.count is missing")]
    [InlineData("{\"action\": {\"min\": [0], \"max\": [1], \"mean\": [0], \"std\": [1], \"count\": [2.5]}}", "'action'.count must be one whole number")]
    [InlineData("{\"action\": {\"min\": [0], \"max\": [1], \"mean\": [0], \"std\": [-1], \"count\": [2]}}", "'action' has a negative std (-1) in dimension 0")]
    [InlineData("{\"action\": {\"min\": [0], \"max\": [1], \"mean\": [0, 1], \"std\": [1], \"count\": [2]}}", "min, max, mean and std of 1, 1, 2 and 1 values")]
    [InlineData("{\"action\": {\"min\": [2], \"max\": [1], \"mean\": [0], \"std\": [1], \"count\": [2]}}", "min 2 above max 1")]
    [InlineData("{\"action\": {\"min\": [\"a\"], \"max\": [1], \"mean\": [0], \"std\": [1], \"count\": [2]}}", "'action'.min holds something other than numbers")]
    [InlineData("{\"action\": {\"min\": [0], \"max\": [1], \"mean\": [0], \"std\": [1], \"count\": [0]}}", "'action' has count 0")]
    public void UnusableStatisticsAreRefusedNamingWhatIsWrong(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => NormalizationStatistics.Parse(json));

        Assert.Contains(expected, error.Message);
    }
}
