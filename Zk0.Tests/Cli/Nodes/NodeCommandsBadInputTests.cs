using Zk0.Federation.Security;
using Zk0.Tests.Cli.Bench.Federation;

namespace Zk0.Tests.Cli.Nodes;

public sealed class NodeCommandsBadInputTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("zk0-node-cli-");

    [Fact]
    public async Task KeygenWritesAKeyPairAndSaysWhatToDoWithIt()
    {
        var folder = Path.Combine(_directory.FullName, "keys");

        var result = await ZkToolProcess.RunAsync(["node", "keygen", "--out", folder], Limit);

        Assert.Equal(0, result.ExitCode);
        using var key = NodeKeyPair.Load(folder);
        Assert.Contains($"node key {key.KeyId}", result.Output);
        Assert.Contains("zk0 node register --public-key", result.Output);
    }

    [Fact]
    public async Task KeygenRefusesToReplaceAnExistingKey()
    {
        Assert.Equal(0, (await ZkToolProcess.RunAsync(["node", "keygen", "--out", _directory.FullName], Limit)).ExitCode);
        var before = File.ReadAllText(Path.Combine(_directory.FullName, NodeKeyPair.PrivateKeyFileName));

        var result = await ZkToolProcess.RunAsync(["node", "keygen", "--out", _directory.FullName], Limit);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already exists", result.Error);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_directory.FullName, NodeKeyPair.PrivateKeyFileName)));
    }

    [Fact]
    public async Task StartWithAMissingKeyFolderNamesItAndHowToMakeOne()
    {
        var missing = Path.Combine(_directory.FullName, "no-keys");

        var result = await ZkToolProcess.RunAsync(["node", "start", "--dataset", "synth:red-cube-to-left-bin", "--key", missing, "--server", "http://127.0.0.1:5999"], Limit);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Node key {missing} not found", result.Error);
        Assert.Contains("zk0 node keygen", result.Error);
    }

    [Fact]
    public async Task RegisterWithAFileThatIsNoPublicKeyIsRefusedBeforeTheServerIsAsked()
    {
        var path = Path.Combine(_directory.FullName, "node.pub");
        File.WriteAllText(path, "hello");

        var result = await ZkToolProcess.RunAsync(["node", "register", "--public-key", path, "--server", "http://127.0.0.1:5999"], Limit);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"--public-key {path} is not a PEM ECDSA public key", result.Error);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
