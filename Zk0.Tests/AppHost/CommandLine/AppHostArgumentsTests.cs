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
        Assert.Equal(RedisHosting.Embedded, parsed.Redis);
    }

    [Fact]
    public void TheReadmeCommandLineIsUnderstood()
    {
        var parsed = AppHostArguments.Parse(["--nodes", "2", "--exit-when-done", "--run-config", "num-server-rounds=2 local-steps=5", "--output", "/tmp/o"]);

        Assert.Equal(2, parsed.Nodes);
        Assert.True(parsed.ExitWhenDone);
        Assert.Equal("/tmp/o", parsed.OutputDirectory);
        Assert.Equal("2", parsed.RunConfig["num-server-rounds"]);
        Assert.Equal("5", parsed.RunConfig["local-steps"]);
    }

    [Theory]
    [InlineData("server", typeof(RedisHosting.RedisServerExecutable))]
    [InlineData("localhost:6379,password=x", typeof(RedisHosting.External))]
    [InlineData("embedded", typeof(RedisHosting.EmbeddedGarnet))]
    public void RedisCanBeEmbeddedAServerOrAConnectionString(string value, Type expected)
    {
        Assert.IsType(expected, AppHostArguments.Parse(["--redis", value]).Redis);
    }

    [Theory]
    [InlineData(new[] { "--nodes", "0" }, "--nodes")]
    [InlineData(new[] { "--nodes" }, "--nodes needs a value")]
    [InlineData(new[] { "--frobnicate" }, "Unknown option '--frobnicate'")]
    [InlineData(new[] { "--run-config", "rounds" }, "key=value")]
    [InlineData(new[] { "--publisher", "manifest" }, "--output-path")]
    [InlineData(new[] { "--publisher", "helm", "--output-path", "x" }, "'helm'")]
    [InlineData(new[] { "--redis", "nonsense" }, "--redis 'nonsense'")]
    public void BadArgumentsAreRejectedWithAMessageNamingTheOption(string[] args, string expected)
    {
        var error = Assert.Throws<AppHostArgumentException>(() => AppHostArguments.Parse(args));

        Assert.Contains(expected, error.Message);
    }
}
