using Zk0.AppHost.Authentication;

namespace Zk0.Tests.AppHost.Authentication;

public sealed class OperatorTokenFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zk0-token-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TheTokenIsCreatedOnceReadableByItsOwnerOnlyAndReusedAfterwards()
    {
        var (token, path) = OperatorTokenFile.LoadOrCreate(_directory);
        var (again, samePath) = OperatorTokenFile.LoadOrCreate(_directory);

        Assert.Equal(Path.Combine(_directory, ".zk0", "operator-token"), path);
        Assert.True(token.Length >= 40);
        Assert.Equal(token, again);
        Assert.Equal(path, samePath);
        Assert.Equal(token, File.ReadAllText(path).Trim());
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void AnEmptyTokenFileIsNamedWithWhatToDo()
    {
        Directory.CreateDirectory(Path.Combine(_directory, ".zk0"));
        File.WriteAllText(Path.Combine(_directory, OperatorTokenFile.RelativePath), "\n");

        var error = Assert.Throws<InvalidOperationException>(() => OperatorTokenFile.LoadOrCreate(_directory));

        Assert.Contains("operator-token is empty: delete it and start again", error.Message);
    }
}
