using Zk0.AppHost.CommandLine;
using Zk0.AppHost.Redis;

namespace Zk0.Tests.AppHost.CommandLine;

public sealed class AppHostArgumentsTests
{
    [Fact]
    public void NoArgumentsRunFourNodesOnEmbeddedRedisAndWriteToOutputs()
    {
        var parsed = AppHostArguments.Parse([]);

        Assert.Equal(4, parsed.Nodes);
        Assert.Equal("outputs", parsed.OutputDirectory);
        Assert.False(parsed.ExitWhenDone);
        Assert.True(parsed.SubmitRun);
        Assert.Equal(RedisMode.Embedded, parsed.Redis);
        Assert.Equal("3", parsed.DefaultRunConfig["min-train-nodes"]); // one node may die
    }

    [Fact]
    public void TheReadmeCommandLineIsUnderstood()
    {
        var parsed = AppHostArguments.Parse(["--nodes", "2", "--exit-when-done", "--run-config", "num-server-rounds=2 local-steps=5", "--output", "/tmp/o"]);

        Assert.Equal(2, parsed.Nodes);
        Assert.True(parsed.ExitWhenDone);
        Assert.Equal("/tmp/o", parsed.OutputDirectory);
        Assert.Equal("2", parsed.DefaultRunConfig["num-server-rounds"]);
        Assert.Equal("5", parsed.DefaultRunConfig["local-steps"]);
        Assert.Equal("1", parsed.DefaultRunConfig["min-train-nodes"]);
    }

    [Fact]
    public void AspireOptionsAndConfigurationOverridesAreLeftToAspire()
    {
        var parsed = AppHostArguments.Parse([
            "--publisher", "manifest", "--output-path", "m.json",
            "--Parameters:supernode-0-dataset=local:/data/mine", "--DcpPublisher:RandomizePorts", "true", "--nodes", "1",
        ]);

        Assert.Equal("manifest", parsed.Publisher);
        Assert.Equal(1, parsed.Nodes);
        Assert.Equal(["--output-path", "m.json", "--Parameters:supernode-0-dataset=local:/data/mine", "--DcpPublisher:RandomizePorts", "true",
            "--publisher", "manifest"], parsed.AspireArguments);
    }

    [Fact]
    public void ZkSwitchesNeverReachAspiresConfigurationWhereTheyWouldSwallowTheNextArgument()
    {
        var parsed = AppHostArguments.Parse(["--no-run", "--Parameters:supernode-0-dataset=local:/data/mine", "--exit-when-done", "--nodes", "2"]);

        Assert.Equal(["--Parameters:supernode-0-dataset=local:/data/mine"], parsed.AspireArguments);
    }

    [Theory]
    [InlineData("server", typeof(RedisMode.LocalRedisServer))]
    [InlineData("localhost:6379,password=x", typeof(RedisMode.Existing))]
    [InlineData("embedded", typeof(RedisMode.EmbeddedGarnet))]
    public void RedisCanBeEmbeddedAServerOrAConnectionString(string value, Type expected)
    {
        Assert.IsType(expected, AppHostArguments.Parse(["--redis", value, "--publisher", "manifest", "--output-path", "m.json"]).Redis);
    }

    [Fact]
    public void LocalRedisPersistsUnlessTurnedOff()
    {
        Assert.True(AppHostArguments.Parse([]).RedisPersistence);
        Assert.False(AppHostArguments.Parse(["--no-redis-persistence"]).RedisPersistence);
    }

    [Theory]
    [InlineData(new[] { "--nodes", "65" }, "--nodes '65' must be a whole number from 0")]
    [InlineData(new[] { "--nodes" }, "--nodes needs a value")]
    [InlineData(new[] { "--frobnicate" }, "Unknown option '--frobnicate'")]
    [InlineData(new[] { "--run-config", "rounds" }, "key=value")]
    [InlineData(new[] { "--run-config", "num-server-rounds=zero" }, "num-server-rounds")]
    [InlineData(new[] { "--run-config", "checkpoint-interval=-1" }, "checkpoint-interval")]
    [InlineData(new[] { "--run-config", "num-server-round=2" }, "Did you mean 'num-server-rounds'")]
    [InlineData(new[] { "--eval-datasets", "," }, "--eval-datasets needs dataset URIs")]
    [InlineData(new[] { "--publisher", "manifest" }, "--output-path")]
    [InlineData(new[] { "--publisher", "helm", "--output-path", "x" }, "'helm'")]
    [InlineData(new[] { "--redis", "nonsense" }, "--redis 'nonsense'")]
    public void BadArgumentsAreRejectedWithAMessageNamingTheOption(string[] args, string expected)
    {
        var error = Assert.Throws<AppHostArgumentException>(() => AppHostArguments.Parse(args));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ALocalRedisServerThatIsNotInstalledIsNamedWithTheRemedy()
    {
        var problem = new RedisMode.LocalRedisServer("no-such-redis-server").FindProblem();

        Assert.NotNull(problem);
        Assert.Contains("'no-such-redis-server'", problem);
        Assert.Contains("apt-get install redis-server", problem);
        Assert.Contains("--redis embedded", problem);
    }

    [Fact]
    public void EvalDatasetsAreAListOfUris()
    {
        var parsed = AppHostArguments.Parse(["--nodes", "0", "--eval-datasets", "synth:red-cube-to-left-bin, local:/data/held-out"]);

        Assert.Equal(["synth:red-cube-to-left-bin", "local:/data/held-out"], parsed.EvalDatasets);
    }
}
