using Zk0.Policy.Abstractions;

namespace Zk0.Tests.Policy.Abstractions;

public sealed class ClosedLoopRunSettingsTests
{
    [Fact]
    public void Closed_loop_scoring_is_on_by_default_and_eval_episodes_zero_turns_it_off()
    {
        var defaults = RunSettings.From(new Dictionary<string, string>());
        var off = RunSettings.From(new Dictionary<string, string> { ["eval-episodes"] = "0" });
        var custom = RunSettings.From(new Dictionary<string, string> { ["eval-episodes"] = " 5 ", ["eval-max-steps"] = "90" });

        Assert.Equal(RunSettings.DefaultEvalEpisodes, defaults.ClosedLoop.Episodes);
        Assert.Equal(RunSettings.DefaultEvalMaxSteps, defaults.ClosedLoop.MaxSteps);
        Assert.True(defaults.ClosedLoop.Enabled);
        Assert.False(off.ClosedLoop.Enabled);
        Assert.Equal((5, 90), (custom.ClosedLoop.Episodes, custom.ClosedLoop.MaxSteps));
    }

    [Theory]
    [InlineData("eval-episodes", "-1")]
    [InlineData("eval-episodes", "two")]
    [InlineData("eval-episodes", "1.5")]
    [InlineData("eval-max-steps", "0")]
    [InlineData("eval-max-steps", "many")]
    public void A_negative_or_non_numeric_value_is_rejected_naming_the_key(string key, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => RunSettings.From(new Dictionary<string, string> { [key] = value }));

        Assert.Contains($"'{key}'", error.Message);
        Assert.Contains(value, error.Message);
    }
}
