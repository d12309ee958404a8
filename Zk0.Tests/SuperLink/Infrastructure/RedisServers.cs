using System.Diagnostics;
using Garnet;
using StackExchange.Redis;

namespace Zk0.Tests.SuperLink.Infrastructure;

/// <summary>A Redis-protocol server for a test class: connection string plus one shared multiplexer.</summary>
public abstract class RedisServerFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public IConnectionMultiplexer Connection { get; private set; } = null!;

    public abstract string Kind { get; }

    protected abstract Task<string> StartServerAsync();
    protected abstract void StopServer();

    public async Task InitializeAsync()
    {
        ConnectionString = await StartServerAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                Connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
                await Connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null) await Connection.DisposeAsync();
        StopServer();
    }
}

/// <summary>Garnet embedded in the test process (the AppHost's default Redis).</summary>
public sealed class GarnetFixture : RedisServerFixture
{
    private GarnetServer? _server;
    public override string Kind => "garnet";

    protected override Task<string> StartServerAsync()
    {
        var port = FreePort.Next();
        // No storage tier, nothing persisted. cleanupDir must stay false: Garnet's default log directory is the
        // working directory, and cleaning it up deletes the test output folder.
        _server = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(), "--lua", "--memory", "64m", "--index", "8m"], cleanupDir: false);
        _server.Start();
        return Task.FromResult($"127.0.0.1:{port}");
    }

    protected override void StopServer() => _server?.Dispose();
}

/// <summary>A real redis-server process on a free port (Debian's package; test.sh installs it in CI).</summary>
public sealed class RedisServerProcessFixture : RedisServerFixture
{
    private Process? _process;
    public override string Kind => "redis-server";

    protected override Task<string> StartServerAsync()
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: run ./test.sh (it installs it) or apt-get install redis-server.", e);
        }
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        return Task.FromResult($"127.0.0.1:{port}");
    }

    protected override void StopServer()
    {
        if (_process is { HasExited: false }) _process.Kill();
        _process?.WaitForExit(5000);
        _process?.Dispose();
    }
}
