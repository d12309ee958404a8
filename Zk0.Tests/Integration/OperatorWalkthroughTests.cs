using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Zk0.Federation.Blobs;
using Zk0.Federation.Safetensors;
using Zk0.Federation.Security;
using Zk0.Policy.Abstractions;
using Zk0.Policy.Abstractions.Data;
using Zk0.Tests.Cli;
using Zk0.Tests.Cli.Bench.Federation;
using Zk0.Tests.Integration.Graph;

namespace Zk0.Tests.Integration;

/// <summary>
/// The README's walk-through, as a server admin and two node operators do it: the federation's side with node
/// authentication and TLS and no local node; keys made, registered, and two <c>zk0 node start</c> processes; a run
/// submitted with <c>--stream</c> that exits 0; listed, shown, its events read; its model pulled as a checkpoint that
/// loads as <c>policy-path</c>; an unregistered node, a plain-h2c client and a wrong operator token refused.
/// </summary>
public sealed class OperatorWalkthroughTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(12);
    private static readonly TimeSpan Command = TimeSpan.FromMinutes(3);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("zk0-walkthrough-");
    private readonly List<ZkToolBackground> _nodes = [];
    private TestGraph _graph = null!;

    private string TlsDirectory => Path.Combine(_work.FullName, "tls");

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        _graph = await TestGraph.BuildAsync("walkthrough", ["--nodes", "0", "--auth", "--tls", TlsDirectory, "--no-run"], cancellationToken: cts.Token);
        await _graph.App.StartAsync(cts.Token);
        await _graph.Notifications.WaitForResourceHealthyAsync("gateway", cts.Token);
        await _graph.Notifications.WaitForResourceHealthyAsync("evaluator", cts.Token);
    }

    [Fact]
    public async Task TwoNodeOperatorsJoinARunStreamsToCompletionAndItsModelIsPulled()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var server = _graph.App.GetEndpoint("gateway", "grpc").ToString().TrimEnd('/');
        Assert.StartsWith("https://", server);
        var ca = Path.Combine(TlsDirectory, "ca.crt");
        var token = (await File.ReadAllTextAsync(Path.Combine(Directory.GetCurrentDirectory(), ".zk0", "operator-token"), cts.Token)).Trim();
        string[] admin = ["--server", server, "--ca", ca, "--token", token];
        string[] node = ["--server", server, "--ca", ca];

        // Node operators make keys; the admin registers two of them.
        foreach (var name in new[] { "lab-a", "lab-b", "stranger" })
            Assert.Equal(0, (await Zk0(["node", "keygen", "--out", Key(name)])).ExitCode);
        foreach (var name in new[] { "lab-a", "lab-b" })
        {
            var registered = await Zk0(["node", "register", "--public-key", Path.Combine(Key(name), NodeKeyPair.PublicKeyFileName), "--name", name, .. admin]);
            Assert.True(registered.ExitCode == 0, registered.Error);
            Assert.StartsWith("registered node key sha256:", registered.Output);
        }

        _nodes.Add(ZkToolBackground.Start(["node", "start", "--dataset", "synth:red-cube-to-left-bin", "--key", Key("lab-a"), "--name", "lab-a", .. node]));
        _nodes.Add(ZkToolBackground.Start(["node", "start", "--dataset", "synth:green-cube-to-right-bin", "--key", Key("lab-b"), "--name", "lab-b", .. node]));

        // A key nobody registered is refused, with what to do; the node ends non-zero.
        using (var stranger = ZkToolBackground.Start(["node", "start", "--dataset", "synth:blue-cube-to-far-bin", "--key", Key("stranger"), .. node]))
        {
            Assert.NotEqual(0, await stranger.WaitForExitAsync(cts.Token));
            Assert.Contains("is not registered with this federation", stranger.Output);
            Assert.Contains("zk0 node register", stranger.Output);
        }

        var online = await Eventually.TrueAsync(async () => OnlineTrainers(await Zk0(["node", "ls", "--json", .. admin])) == 2, TimeSpan.FromMinutes(4), cts.Token);
        Assert.True(online, $"two nodes did not come online: {string.Join(Environment.NewLine, _nodes.Select(n => n.Output))}");

        var run = await Zk0(["run", "submit", "--stream", "--run-config", "num-server-rounds=2 policy=bc local-steps=2 batch-size=4 seed=3 eval-episodes=0", .. admin],
            TimeSpan.FromMinutes(8));
        Assert.True(run.ExitCode == 0, $"run submit --stream exited {run.ExitCode}:{Environment.NewLine}{run.Output}{run.Error}");
        Assert.Contains("round 1: completed", run.Output);
        Assert.Contains("round 2: completed", run.Output);
        var runId = run.Output.Split(' ', '\n')[1];
        Assert.StartsWith("run-", runId);

        var listed = JsonDocument.Parse((await Zk0(["run", "ls", "--json", .. admin])).Output).RootElement.GetProperty("runs").EnumerateArray().Single();
        Assert.Equal((runId, "RUN_STATUS_COMPLETED"), (listed.GetProperty("runId").GetString(), listed.GetProperty("status").GetString()));
        var globalModel = listed.GetProperty("globalModelHash").GetString()!;
        var shown = await Zk0(["run", "show", runId, .. admin]);
        Assert.Contains($"run {runId}: completed, 2 of 2 rounds", shown.Output);
        var logs = await Zk0(["run", "logs", runId, .. admin]);
        Assert.Contains("round 2: committed", logs.Output);

        var checkpoint = Path.Combine(_work.FullName, "checkpoint");
        var pulled = await Zk0(["run", "pull", runId, "--out", checkpoint, .. admin]);
        Assert.True(pulled.ExitCode == 0, pulled.Error);
        Assert.Equal(globalModel, await TrainableHashOfCheckpoint(checkpoint));

        // A run stopped while someone streams it: the stream ends with the stopped run's exit code, 3.
        using (var streaming = ZkToolBackground.Start(["run", "submit", "--stream", "--run-config", "num-server-rounds=50 policy=bc local-steps=2 batch-size=4 eval-episodes=0", .. admin]))
        {
            var started = await Eventually.TrueAsync(() => Task.FromResult(streaming.Output.Contains("round 1: started")), TimeSpan.FromMinutes(3), cts.Token);
            Assert.True(started, streaming.Output);
            var second = streaming.Output.Split(' ', '\n')[1];
            var stopped = await Zk0(["run", "stop", second, "--reason", "walk-through over", .. admin]);
            Assert.Equal((0, $"run {second} stopped"), (stopped.ExitCode, stopped.Output.Trim()));
            Assert.Equal(3, await streaming.WaitForExitAsync(cts.Token));
            Assert.Contains("stopped (walk-through over)", streaming.Output);
        }

        // Refused while the federation goes on: a plain-h2c client on the TLS port, and a wrong operator token.
        var plain = await Zk0(["run", "ls", "--server", server.Replace("https://", "http://"), "--token", token]);
        Assert.Equal(1, plain.ExitCode);
        Assert.Contains("the gateway probably serves TLS", plain.Error);
        var wrongToken = await Zk0(["run", "ls", "--server", server, "--ca", ca, "--token", "not-the-token"]);
        Assert.Equal(1, wrongToken.ExitCode);
        Assert.Contains("The operator token given is not this federation's", wrongToken.Error);
        Assert.All(_nodes, n => Assert.False(n.HasExited, n.Output));
    }

    private string Key(string name) => Path.Combine(_work.FullName, "keys", name);

    private static Task<ZkToolProcess.Result> Zk0(string[] args, TimeSpan? limit = null) => ZkToolProcess.RunAsync(args, limit ?? Command);

    private static int OnlineTrainers(ZkToolProcess.Result listing) =>
        listing.ExitCode != 0 ? 0 : JsonDocument.Parse(listing.Output).RootElement.GetProperty("nodes").EnumerateArray()
            .Count(n => n.TryGetProperty("online", out var online) && online.GetBoolean() && n.GetProperty("role").GetString() == "trainer");

    /// <summary>The checkpoint loaded as policy-path, as nodes load it; the hash of its trainable tensors as a node would upload them.</summary>
    private async Task<string> TrainableHashOfCheckpoint(string checkpoint)
    {
        var config = new Dictionary<string, string> { ["policy"] = "bc", [RunSettings.PolicyPathKey] = checkpoint };
        var settings = RunSettings.From(config);
        using var dataset = new LeRobotPolicyDatasetSource(new PolicyDataOptions()).Open("synth:red-cube-to-left-bin", DatasetSplit.Train);
        using var policy = PolicyCatalog.Builtin().Create(settings.PolicyType, new PolicyCreateOptions(dataset.Features, settings.Raw, Seed: 99));
        var exported = Path.Combine(_work.FullName, "exported.safetensors");
        policy.ExportTrainable(exported, SafetensorsDType.F32);
        return await ContentHash.OfFileAsync(exported);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) node.Dispose();
        if (_graph is not null) await _graph.DisposeAsync();
        _work.Delete(recursive: true);
    }
}
