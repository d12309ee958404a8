using Zk0.Cli.Connection;
using Zk0.Cli.Runs;

namespace Zk0.Tests.Cli.Runs;

public sealed class RunConfigArgumentsTests
{
    [Fact]
    public void AssignmentsAreMergedWithLaterValuesWinning()
    {
        var config = RunConfigArguments.Parse(["num-server-rounds=2 local-steps=3", "local-steps=5 policy=bc"]);

        Assert.Equal(new Dictionary<string, string> { ["num-server-rounds"] = "2", ["local-steps"] = "5", ["policy"] = "bc" }, config);
    }

    [Fact]
    public void AnUnknownKeyIsAUsageErrorNamingItBeforeAnythingIsSent()
    {
        var error = Assert.Throws<CliException>(() => RunConfigArguments.Parse(["num-server-round=2"]));

        Assert.Equal(2, error.ExitCode);
        Assert.StartsWith("--run-config: Unknown run-config key 'num-server-round'. Did you mean 'num-server-rounds'?", error.Message);
    }

    [Theory]
    [InlineData("num-server-rounds=0", "num-server-rounds")]
    [InlineData("local-steps=-1", "local-steps")]
    [InlineData("wire-dtype=int8", "wire-dtype")]
    [InlineData("strategy=fedsomething", "strategy")]
    public void AnInvalidValueIsAUsageErrorNamingTheKey(string assignment, string key)
    {
        var error = Assert.Throws<CliException>(() => RunConfigArguments.Parse([assignment]));

        Assert.Equal(2, error.ExitCode);
        Assert.StartsWith("--run-config: ", error.Message);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void TextThatIsNotAnAssignmentIsRefused()
    {
        var error = Assert.Throws<CliException>(() => RunConfigArguments.Parse(["num-server-rounds"]));

        Assert.Equal(2, error.ExitCode);
    }
}
