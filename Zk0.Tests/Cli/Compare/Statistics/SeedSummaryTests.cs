using Zk0.Cli.Compare.Statistics;

namespace Zk0.Tests.Cli.Compare.Statistics;

public sealed class SeedSummaryTests
{
    [Fact]
    public void Three_seeds_give_the_mean_the_sample_sd_and_the_student_t_half_width()
    {
        var summary = SeedSummary.Of([0.5, 0.7, 0.9]);

        Assert.Equal(0.7, summary.Mean, 12);
        Assert.Equal(0.2, summary.StandardDeviation!.Value, 12);
        // t(0.975, 2) = 4.303: 4.303 × 0.2 / √3
        Assert.Equal(0.49686764, summary.HalfWidth95!.Value, 7);
        Assert.Equal(3, summary.Count);
    }

    [Fact]
    public void Two_seeds_use_one_degree_of_freedom()
    {
        var summary = SeedSummary.Of([1.0, 3.0]);

        Assert.Equal(2.0, summary.Mean, 12);
        Assert.Equal(Math.Sqrt(2), summary.StandardDeviation!.Value, 12);
        Assert.Equal(12.706, summary.HalfWidth95!.Value, 9); // 12.706 × √2 / √2
    }

    [Fact]
    public void One_seed_has_a_mean_but_no_interval()
    {
        var summary = SeedSummary.Of([0.42]);

        Assert.Equal(0.42, summary.Mean);
        Assert.Null(summary.StandardDeviation);
        Assert.Null(summary.HalfWidth95);
    }

    [Fact]
    public void Equal_values_have_a_zero_width_interval() =>
        Assert.Equal(0.0, SeedSummary.Of([0.3, 0.3, 0.3, 0.3]).HalfWidth95);

    [Fact]
    public void No_values_is_refused() =>
        Assert.Throws<ArgumentException>(() => SeedSummary.Of([]));

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(2, 4.303)]
    [InlineData(4, 2.776)]
    [InlineData(9, 2.262)]
    [InlineData(30, 2.042)]
    [InlineData(40, 2.021)]
    [InlineData(60, 2.000)]
    [InlineData(120, 1.980)]
    public void Student_t_quantiles_match_the_tables(int degreesOfFreedom, double expected) =>
        Assert.Equal(expected, StudentT.Quantile975(degreesOfFreedom), 3);

    [Fact]
    public void The_ratio_of_means_carries_a_delta_method_half_width()
    {
        var federated = SeedSummary.Of([0.5, 0.7, 0.9]); // mean 0.7, half-width 0.496868
        var central = SeedSummary.Of([0.9, 1.0, 1.1]);   // mean 1.0, half-width 0.248434

        var ratio = MeanRatio.Of(federated, central)!;

        Assert.Equal(0.7, ratio.Value, 12);
        // 0.7 × √((0.496868 / 0.7)² + (0.248434 / 1.0)²)
        Assert.Equal(0.52642183, ratio.HalfWidth95!.Value, 7);
    }

    [Fact]
    public void A_ratio_of_single_seeds_has_no_interval_and_a_zero_central_mean_has_no_ratio()
    {
        Assert.Equal(new MeanRatio(2.0, null), MeanRatio.Of(SeedSummary.Of([0.4]), SeedSummary.Of([0.2])));
        Assert.Null(MeanRatio.Of(SeedSummary.Of([0.4, 0.5]), SeedSummary.Of([0.0, 0.0])));
        Assert.Null(MeanRatio.Of(null, SeedSummary.Of([0.2])));
    }

    [Fact]
    public void An_interval_is_cut_to_the_range_the_metric_can_take()
    {
        var rate = SeedSummary.Of([0.0, 0.2, 0.4]); // mean 0.2, sd 0.2, half-width 4.303 × 0.2 / √3 = 0.4969

        var (low, high) = rate.Interval95Within(0, 1)!.Value;
        var (wideLow, wideHigh) = SeedSummary.Of([0.7, 0.9, 1.0]).Interval95Within(0, 1)!.Value; // mean 0.8667, half-width 4.303 × 0.1528 / √3 = 0.3795

        Assert.Equal(0, low);
        Assert.Equal(0.2 + 0.49686764, high, 7);
        Assert.Equal(0.4872, wideLow, 4);
        Assert.Equal(1, wideHigh);
        Assert.Null(SeedSummary.Of([0.3]).Interval95Within(0, 1));
    }
}
