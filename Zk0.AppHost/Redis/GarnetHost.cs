using Garnet;
using Garnet.server.Auth.Settings;
using Microsoft.Extensions.Logging;

namespace Zk0.AppHost.Redis;

/// <summary>
/// Garnet (a Redis-protocol server written in .NET) hosted inside the AppHost process, so a fresh
/// machine needs nothing installed. Loopback only, password required, Lua enabled, nothing persisted.
/// </summary>
public sealed class GarnetHost : IDisposable
{
    private readonly GarnetServer _server;

    public GarnetHost(int port, string password, ILoggerFactory? loggerFactory = null)
    {
        string[] args =
        [
            "--bind", "127.0.0.1",
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--lua",
            "--memory", "256m",
            "--index", "16m",
        ];
        _server = new GarnetServer(args, loggerFactory, cleanupDir: true, new PasswordAuthenticationSettings(password));
        _server.Start();
    }

    public void Dispose() => _server.Dispose();
}
