namespace Zk0.Tests.AppHost.CommandLine;

/// <summary>
/// Mistakes on the AppHost's command line end it at once with exit code 2 and a message, never a stack trace; a port the
/// graph must own that another process holds ends it with exit code 1 before anything starts.
/// </summary>
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

    [Fact]
    public async Task AGatewayPortHeldByAnotherProcessStopsTheStartBeforeAnythingRunsAndNamesTheWayOut()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 5180);
        try
        {
            holder.Start();
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Something else holds it already: the AppHost must refuse all the same.
        }

        var result = await AppHostProcess.RunAsync(["--nodes", "1", "--no-run", "--exit-when-done"], cts.Token);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("port 5180 (gateway's grpc endpoint) is already in use", result.Error);
        Assert.Contains("--random-ports", result.Error);
        Assert.DoesNotContain("graph healthy", result.Output);
    }
}
