using Zk0.AppHost.Graph;

namespace Zk0.AppHost.Redis;

/// <summary>Where the federation's Redis comes from when running locally (publishing always declares a Redis container).</summary>
public abstract record RedisMode
{
    public static RedisMode Embedded { get; } = new EmbeddedGarnet();

    public static RedisMode Server { get; } = new LocalRedisServer();

    /// <summary>Parses the <c>--redis</c> value: "embedded" (default), "server", or a connection string.</summary>
    public static RedisMode Parse(string? value) => value?.Trim() switch
    {
        null or "" or "embedded" or "garnet" => Embedded,
        "server" or "redis-server" => Server,
        var connectionString when connectionString.Contains(':') || connectionString.Contains(',') => new Existing(connectionString),
        var other => throw new ArgumentException(
            $"--redis '{other}' is not understood. Use 'embedded' (Garnet, the default), 'server' " +
            "(starts redis-server) or a connection string such as 'localhost:6379,password=secret'."),
    };

    /// <summary>Garnet hosted by the Zk0.Garnet project: nothing to install.</summary>
    public sealed record EmbeddedGarnet : RedisMode;

    /// <summary>A <c>redis-server</c> child process (Debian package redis-server).</summary>
    public sealed record LocalRedisServer(string Executable = "redis-server") : RedisMode
    {
        /// <summary>What keeps this mode from working here and what to do about it; null when nothing does.</summary>
        public string? FindProblem() => ExecutableSearch.IsOnPath(Executable)
            ? null
            : $"--redis server needs '{Executable}' on PATH and it is not there. Install it (sudo apt-get install redis-server) " +
              "or use the default --redis embedded, which needs nothing installed.";
    }

    /// <summary>A Redis that is already running somewhere.</summary>
    public sealed record Existing(string ConnectionString) : RedisMode;
}
