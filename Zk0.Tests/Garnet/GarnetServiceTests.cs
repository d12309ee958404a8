using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Zk0.Cli.Simulation;
using Zk0.Garnet;
using Zk0.Tests.SuperLink.Infrastructure;

namespace Zk0.Tests.Garnet;

public sealed class GarnetServiceTests
{
    [Fact]
    public async Task TheEmbeddedServerAnswersWithItsPasswordAndRefusesWithoutIt()
    {
        var port = FreePort.Next();
        var options = Options.Create(new GarnetOptions { Port = port, Password = "s3cret-for-the-test", Memory = "64m", Index = "8m" });
        using var service = new GarnetService(options, NullLoggerFactory.Instance, NullLogger<GarnetService>.Instance);
        await service.StartAsync(CancellationToken.None);

        await using (var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},password=s3cret-for-the-test"))
        {
            await redis.GetDatabase().StringSetAsync("zk0-test:garnet", "stored");
            Assert.Equal("stored", (string?)await redis.GetDatabase().StringGetAsync("zk0-test:garnet"));
        }
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=1000"));

        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task WithPersistenceARestartedServerHasWhatTheKilledOneWasToldBeforeIt()
    {
        var directory = Directory.CreateTempSubdirectory("zk0-garnet-aof-").FullName;
        try
        {
            var port = FreePort.Next();
            var options = Options.Create(new GarnetOptions { Port = port, Memory = "64m", Index = "8m", DataDirectory = directory, Persistence = true, CommitIntervalMs = 0 });
            using (var first = new GarnetService(options, NullLoggerFactory.Instance, NullLogger<GarnetService>.Instance))
            {
                await first.StartAsync(CancellationToken.None);
                await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
                await redis.GetDatabase().StringSetAsync("zk0-test:kept", "across a restart");
                await redis.GetDatabase().HashSetAsync("zk0-test:run", "state", "Running");
            } // no checkpoint, no SAVE: only the append-only file has the writes

            using var second = new GarnetService(options, NullLoggerFactory.Instance, NullLogger<GarnetService>.Instance);
            await second.StartAsync(CancellationToken.None);
            await using var again = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
            Assert.Equal("across a restart", (string?)await again.GetDatabase().StringGetAsync("zk0-test:kept"));
            Assert.Equal("Running", (string?)await again.GetDatabase().HashGetAsync("zk0-test:run", "state"));
            await second.StopAsync(CancellationToken.None);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task WithPersistenceEveryWriteAcknowledgedBeforeAKill9IsThereAfterTheRestart()
    {
        const int writes = 4000;
        var directory = Directory.CreateTempSubdirectory("zk0-garnet-kill-").FullName;
        var port = ServicePort.Next(); // kept free while the killed process is down
        var settings = new Dictionary<string, string>
        {
            ["Garnet:Port"] = $"{port}", ["Garnet:Memory"] = "64m", ["Garnet:Index"] = "8m",
            ["Garnet:DataDirectory"] = Path.Combine(directory, "data"), ["Garnet:Persistence"] = "true", ["Logging:LogLevel:Default"] = "Warning",
        };
        var garnet = ServiceProcess.Start("Zk0.Garnet", directory, settings);
        try
        {
            await using (var redis = await ConnectAsync(port))
            {
                var database = redis.GetDatabase();
                await Task.WhenAll(Enumerable.Range(0, writes).Select(i => database.StringSetAsync($"zk0-test:write:{i}", i)));
                garnet.KillHard(); // the moment the last write is acknowledged
            }

            garnet = garnet.StartAgain();
            await using var again = await ConnectAsync(port);
            var kept = await Task.WhenAll(Enumerable.Range(0, writes).Select(i => again.GetDatabase().KeyExistsAsync($"zk0-test:write:{i}")));
            Assert.Equal(writes, kept.Count(k => k));
        }
        finally
        {
            garnet.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(0, "yes")]    // a write is answered only once its commit is in the file
    [InlineData(1000, "no")]  // waiting would hold every write for the whole interval
    public async Task AWriteWaitsForItsCommitOnlyWhenEachWriteIsCommitted(int commitIntervalMs, string waits)
    {
        var directory = Directory.CreateTempSubdirectory("zk0-garnet-commit-").FullName;
        try
        {
            var port = FreePort.Next();
            var options = Options.Create(new GarnetOptions { Port = port, Memory = "64m", Index = "8m", DataDirectory = directory, Persistence = true, CommitIntervalMs = commitIntervalMs });
            using var service = new GarnetService(options, NullLoggerFactory.Instance, NullLogger<GarnetService>.Instance);
            await service.StartAsync(CancellationToken.None);
            await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true");

            Assert.Equal($"{commitIntervalMs}", await ConfigAsync(redis, "aof-commit-freq"));
            Assert.Equal(waits, await ConfigAsync(redis, "aof-commit-wait"));
            await service.StopAsync(CancellationToken.None);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<string?> ConfigAsync(ConnectionMultiplexer redis, string setting) =>
        (await redis.GetServer(redis.GetEndPoints()[0]).ConfigGetAsync(setting)).Single().Value;

    private static async Task<ConnectionMultiplexer> ConnectAsync(int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=2000,abortConnect=true");
            }
            catch (RedisConnectionException) when (attempt < 60)
            {
                await Task.Delay(250);
            }
        }
    }

    [Fact]
    public void PersistenceWithoutADataDirectoryIsRejectedNamingBoth()
    {
        var result = new GarnetOptionsValidator().Validate(null, new GarnetOptions { Persistence = true });

        Assert.True(result.Failed);
        Assert.Contains("Garnet:Persistence", result.FailureMessage);
        Assert.Contains("Garnet:DataDirectory", result.FailureMessage);
    }

    [Fact]
    public async Task APortThatIsTakenIsNamedWithWhatToDo()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        using var service = new GarnetService(Options.Create(new GarnetOptions { Port = port, Memory = "64m", Index = "8m" }),
            NullLoggerFactory.Instance, NullLogger<GarnetService>.Instance);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => service.StartAsync(CancellationToken.None));

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("Garnet__Port", error.Message);
    }

    [Theory]
    [InlineData(0, "127.0.0.1", null, "Garnet:Port 0")]
    [InlineData(6379, "localhost", null, "Garnet:Bind 'localhost' is not an IP address")]
    [InlineData(6379, "0.0.0.0", null, "set a password")]
    public void SettingsGarnetWouldFailOnAreRejectedByName(int port, string bind, string? password, string expected)
    {
        var result = new GarnetOptionsValidator().Validate(null, new GarnetOptions { Port = port, Bind = bind, Password = password });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }

    [Fact]
    public void LoopbackWithoutPasswordAndAnyAddressWithOneAreFine()
    {
        Assert.True(new GarnetOptionsValidator().Validate(null, new GarnetOptions()).Succeeded);
        Assert.True(new GarnetOptionsValidator().Validate(null, new GarnetOptions { Bind = "0.0.0.0", Password = "x" }).Succeeded);
    }
}
