using System.Net;
using System.Net.Sockets;
using Zk0.Tests.Cli.Bench.Federation;

namespace Zk0.Tests.Cli.Runs;

/// <summary>The zk0 tool itself, as an operator runs it: each mistake is one line naming the thing and what to do, and a non-zero exit.</summary>
public sealed class RunCommandsBadInputTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task AServerThatIsNotListeningIsNamedWithWhatToCheck()
    {
        var server = $"http://127.0.0.1:{UnusedPort()}";

        var result = await ZkToolProcess.RunAsync(["run", "ls", "--server", server], Limit);

        Assert.Equal(1, result.ExitCode);
        var error = SingleErrorLine(result.Error);
        Assert.Contains($"Nothing answers at {server} (connection refused)", error);
        Assert.Contains("gateway runs", error);
    }

    [Fact]
    public async Task AnUnknownRunConfigKeyIsRefusedBeforeTheServerIsAsked()
    {
        var result = await ZkToolProcess.RunAsync(["run", "submit", "--server", $"http://127.0.0.1:{UnusedPort()}", "--run-config", "num-server-round=2"], Limit);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: --run-config: Unknown run-config key 'num-server-round'. Did you mean 'num-server-rounds'?", SingleErrorLine(result.Error));
    }

    [Fact]
    public async Task AMissingCaFileIsNamed()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"zk0-no-such-ca-{Guid.NewGuid():N}.crt");

        var result = await ZkToolProcess.RunAsync(["run", "ls", "--server", "https://127.0.0.1:5999", "--ca", missing], Limit);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"CA file {missing} not found", SingleErrorLine(result.Error));
    }

    [Fact]
    public async Task PlainHttpToAnotherMachineIsRefused()
    {
        var result = await ZkToolProcess.RunAsync(["run", "ls", "--server", "http://192.0.2.1:5180"], Limit);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is plain h2c (no TLS), which is for loopback development only", SingleErrorLine(result.Error));
    }

    [Fact]
    public async Task ACaForAPlainHttpServerIsAMistakeNamedAsSuch()
    {
        var ca = Path.Combine(Path.GetTempPath(), $"zk0-ca-{Guid.NewGuid():N}.crt");

        var result = await ZkToolProcess.RunAsync(["run", "ls", "--server", "http://127.0.0.1:5999", "--ca", ca], Limit);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is plain http; the federation's CA is for its https address", SingleErrorLine(result.Error));
    }

    [Fact]
    public async Task AServerThatIsNoUrlIsNamed()
    {
        var result = await ZkToolProcess.RunAsync(["run", "ls", "--server", "localhost"], Limit);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--server 'localhost' is not a gateway address", SingleErrorLine(result.Error));
    }

    /// <summary>The one line starting with "error:" (a loopback plaintext warning may come before it).</summary>
    private static string SingleErrorLine(string stderr) =>
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), line => line.StartsWith("error:", StringComparison.Ordinal));

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
