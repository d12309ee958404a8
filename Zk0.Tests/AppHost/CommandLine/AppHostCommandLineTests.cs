namespace Zk0.Tests.AppHost.CommandLine;

/// <summary>Mistakes on the AppHost's command line end it at once with exit code 2 and a message, never a stack trace.</summary>
public sealed class AppHostCommandLineTests
{
    [Theory]
    [InlineData(new[] { "--run-config", "num-server-rounds=zero" }, "num-server-rounds")]
    [InlineData(new[] { "--nodes", "many" }, "--nodes 'many'")]
    [InlineData(new[] { "--redis", "nonsense" }, "--redis 'nonsense'")]
    public async Task ABadArgumentIsNamedWithTheUsageAndExitCode2(string[] args, string expected)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var result = await AppHostProcess.RunAsync(args, cts.Token);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.Contains("Usage: dotnet run --project Zk0.AppHost", result.Error);
        Assert.DoesNotContain("   at ", result.Error + result.Output);
    }
}
