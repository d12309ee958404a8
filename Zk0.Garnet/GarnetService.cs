using System.Globalization;
using Garnet;
using Garnet.server.Auth.Settings;
using Microsoft.Extensions.Options;

namespace Zk0.Garnet;

/// <summary>Runs Garnet (a Redis-protocol server in .NET) in this process for as long as the host runs.</summary>
public sealed class GarnetService(IOptions<GarnetOptions> options, ILoggerFactory loggerFactory, ILogger<GarnetService> logger) : IHostedService, IDisposable
{
    private GarnetServer? _server;
    private string? _temporaryDirectory;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Garnet's log and checkpoint folders default to the working directory, and its cleanup deletes
        // them: always give it a folder of its own.
        var directory = settings.DataDirectory;
        if (string.IsNullOrWhiteSpace(directory))
            directory = _temporaryDirectory = Directory.CreateTempSubdirectory("zk0-garnet-").FullName;

        List<string> args =
        [
            "--bind", settings.Bind,
            "--port", settings.Port.ToString(CultureInfo.InvariantCulture),
            "--lua",
            "--memory", settings.Memory,
            "--index", settings.Index,
            "--checkpointdir", Path.Combine(directory, "checkpoints"),
            // Garnet's native Linux device needs libaio, which a fresh machine lacks (it then fails fast on the first
            // write to disk); .NET's own file I/O needs nothing.
            "--device-type", "RandomAccess",
        ];
        if (settings.Persistence)
        {
            args.AddRange(["--aof", "--aof-commit-freq", settings.CommitIntervalMs.ToString(CultureInfo.InvariantCulture), "--recover"]);
            // Without it Garnet answers a write before its commit reaches the file, and a kill in between loses a write the
            // SuperLink has already acted on. With batched commits the wait would be the whole interval, so only per write.
            if (settings.CommitIntervalMs == 0) args.Add("--aof-commit-wait");
        }
        var authentication = string.IsNullOrEmpty(settings.Password) ? null : new PasswordAuthenticationSettings(settings.Password);
        try
        {
            _server = new GarnetServer([.. args], loggerFactory, cleanupDir: false, authentication);
            _server.Start();
        }
        catch (Exception ex) when (ex is global::Garnet.common.GarnetException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"Garnet could not listen on {settings.Bind}:{settings.Port}: {ex.Message}. Is another server using that port? " +
                "Free it or set Garnet__Port.", ex);
        }
        logger.LogInformation("Garnet listening on {Bind}:{Port} (password {Auth}; {Persistence})", settings.Bind, settings.Port,
            authentication is null ? "off" : "on",
            settings.Persistence ? $"append-only file in {directory}, committed every {settings.CommitIntervalMs} ms, replayed on start" : "nothing kept after exit");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _server?.Dispose();
        _server = null;
        if (_temporaryDirectory is null) return;
        try
        {
            Directory.Delete(_temporaryDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
        _temporaryDirectory = null;
    }
}
