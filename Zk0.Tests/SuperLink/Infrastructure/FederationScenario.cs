using Microsoft.Extensions.DependencyInjection;
using Zk0.Federation.Protocol;

namespace Zk0.Tests.SuperLink.Infrastructure;

/// <summary>A SuperLink in-process on a Redis fixture, plus test nodes running their loops until disposed.</summary>
public sealed class FederationScenario : IAsyncDisposable
{
    private readonly RedisServerFixture _redis;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly Action<IServiceCollection>? _configure;

    private FederationScenario(RedisServerFixture redis, Action<IServiceCollection>? configure)
    {
        _redis = redis;
        _configure = configure;
        Directory.CreateDirectory(BlobDirectory);
    }

    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("zk0-superlink-").FullName;
    public string BlobDirectory => Path.Combine(WorkDirectory, "blobs");
    public string KeyPrefix { get; } = $"t{Guid.NewGuid():N}"[..12];
    public SuperLinkTestHost Host { get; private set; } = null!;

    public static async Task<FederationScenario> StartAsync(RedisServerFixture redis, Action<IServiceCollection>? configure = null)
    {
        var scenario = new FederationScenario(redis, configure);
        scenario.Host = await SuperLinkTestHost.StartAsync(redis.ConnectionString, scenario.BlobDirectory, scenario.KeyPrefix, configure);
        return scenario;
    }

    /// <summary>
    /// Stops the SuperLink (as a rolling restart or crash-and-restart would) and starts a fresh one on the same Redis and
    /// blobs, after <paramref name="down"/> without any.
    /// </summary>
    public async Task RestartSuperLinkAsync(TimeSpan down = default)
    {
        var old = Host;
        await old.DisposeAsync();
        await Task.Delay(down);
        Host = await SuperLinkTestHost.StartAsync(_redis.ConnectionString, BlobDirectory, KeyPrefix, _configure);
    }

    public TestNode AddTrainer(string datasetId, float delta, long examples) =>
        new(() => Host, Path.Combine(WorkDirectory, datasetId), "trainer", datasetId, delta, examples);

    public TestNode AddEvaluator() => new(() => Host, Path.Combine(WorkDirectory, "evaluator"), "evaluator", "held-out", 0, 0);

    public async Task StartAsync(params TestNode[] nodes)
    {
        foreach (var node in nodes)
        {
            if (node.NodeId.Length == 0) await node.RegisterAsync();
            _loops.Add(Task.Run(() => node.RunAsync(_stop.Token)));
        }
    }

    public async Task<string> SubmitAsync(string runConfig)
    {
        var request = new SubmitRunRequest();
        foreach (var (key, value) in Zk0.Federation.Runs.RunConfiguration.ParseAssignments(runConfig)) request.Config[key] = value;
        return (await Host.Control.SubmitRunAsync(request)).RunId;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        await Host.DisposeAsync();
        try { Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { }
    }
}
