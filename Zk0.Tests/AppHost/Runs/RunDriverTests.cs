using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Zk0.AppHost.Runs;
using Zk0.Tests.Integration.Graph;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.AppHost.Runs;

/// <summary>The AppHost's run follower against a real SuperLink whose Redis forgets everything in the middle of the run.</summary>
public sealed class RunDriverTests(GarnetFixture redis) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task ARunRedisForgotIsReportedLostAndItsFilesSayLostWithTheReason()
    {
        var errors = new ErrorLog();
        await using var scenario = await FederationScenario.StartAsync(redis, services => services.AddSingleton<ILoggerProvider>(errors));
        var node = scenario.AddTrainer("ds-a", 1, 100);
        await node.RegisterAsync(); // online, but never takes the init task: the run waits for it
        var outputs = Path.Combine(scenario.WorkDirectory, "outputs");
        var lines = new List<string>();
        using var driver = new RunDriver(new Uri(scenario.Host.Address), ["local:/data/a"], line => { lock (lines) lines.Add(line); });
        var submitted = new TaskCompletionSource<string>();

        var following = driver.RunAsync(new Dictionary<string, string> { ["num-server-rounds"] = "2" }, outputs, id => submitted.SetResult(id), CancellationToken.None);
        var runId = await submitted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(Path.Combine(outputs, runId, "run.json"))), TimeSpan.FromSeconds(30), CancellationToken.None);
        await ForgetEverythingAsync(scenario.KeyPrefix); // as a Redis restarted without persistence would
        var outcome = await following.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(outcome.Lost);
        Assert.Contains(lines, l => l.Contains($"run {runId} is lost", StringComparison.Ordinal));
        foreach (var file in new[] { "run.json", "metrics.json" })
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outputs, runId, file)));
            Assert.Equal("lost", json.RootElement.GetProperty("status").GetString());
            Assert.Contains("Redis lost it", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        // The SuperLink that was driving it names the run in an error.
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(errors.Contains(runId)), TimeSpan.FromSeconds(30), CancellationToken.None),
            "the SuperLink logged no error naming the lost run");
    }

    private async Task ForgetEverythingAsync(string keyPrefix)
    {
        var server = redis.Connection.GetServers()[0];
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: $"{keyPrefix}*")) keys.Add(key);
        Assert.NotEmpty(keys);
        await redis.Connection.GetDatabase().KeyDeleteAsync([.. keys]);
    }

    /// <summary>The SuperLink's error log lines.</summary>
    private sealed class ErrorLog : ILoggerProvider, ILogger
    {
        private readonly List<string> _lines = [];

        public bool Contains(string text)
        {
            lock (_lines) return _lines.Any(l => l.Contains(text, StringComparison.Ordinal));
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (_lines) _lines.Add(formatter(state, exception));
        }

        public void Dispose()
        {
        }
    }
}
