using Garnet;
using Garnet.server.Auth.Settings;
using Microsoft.Extensions.Logging;

namespace Zk0.AppHost.Redis;

/// <summary>
/// Garnet (a Redis-protocol server written in .NET) hosted inside the AppHost process, so a fresh
/// machine needs nothing installed. Loopback only, password required, Lua enabled, nothing kept
/// after it stops.
/// </summary>
public sealed class GarnetHost : IDisposable
{
    private readonly GarnetServer _server;
    private readonly string _directory;

    public GarnetHost(int port, string password, ILoggerFactory? loggerFactory = null)
    {
        // Garnet's log and checkpoint folders default to the working directory, and its cleanup
        // deletes them: always give it a folder of its own.
        _directory = Directory.CreateTempSubdirectory("zk0-garnet-").FullName;
        string[] args =
        [
            "--bind", "127.0.0.1",
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--lua",
            "--memory", "256m",
            "--index", "16m",
            "--checkpointdir", Path.Combine(_directory, "checkpoints"),
        ];
        _server = new GarnetServer(args, loggerFactory, cleanupDir: false, new PasswordAuthenticationSettings(password));
        _server.Start();
    }

    public void Dispose()
    {
        _server.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
