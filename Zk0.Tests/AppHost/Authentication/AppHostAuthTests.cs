using Zk0.AppHost.Authentication;

namespace Zk0.Tests.AppHost.Authentication;

/// <summary>The federation's side alone (<c>--nodes 0</c>) with authentication, started as the README starts it.</summary>
public sealed class AppHostAuthTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-apphost-auth-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task WithAuthTheOperatorTokenIsKeptInTheCurrentFolderAndItsPlaceIsPrinted()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));

        var result = await AppHostProcess.RunAsync(["--nodes", "0", "--auth", "--random-ports", "--exit-when-done"], cts.Token, _directory);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        var path = Path.Combine(_directory, OperatorTokenFile.RelativePath);
        Assert.Contains($"authentication is on: the operator token is in {path}; export ZK0_TOKEN=$(cat .zk0/operator-token)", result.Output);
        Assert.Contains("0 node(s)", result.Output);
        Assert.Contains("no run submitted", result.Output);
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}
