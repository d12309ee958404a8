namespace Zk0.AppHost.Redis;

/// <summary>How the graph's Redis is provided: embedded Garnet, a local redis-server, or an existing server.</summary>
public abstract record RedisHosting
{
    public static RedisHosting Embedded { get; } = new EmbeddedGarnet();

    public static RedisHosting Server { get; } = new RedisServerExecutable();

    /// <summary>Parses the <c>--redis</c> value: "embedded" (default), "server", or a connection string.</summary>
    public static RedisHosting Parse(string? value) => value?.Trim() switch
    {
        null or "" or "embedded" or "garnet" => Embedded,
        "server" or "redis-server" => Server,
        var connectionString when connectionString.Contains(':') || connectionString.Contains(',') => new External(connectionString),
        var other => throw new ArgumentException(
            $"--redis '{other}' is not understood. Use 'embedded' (Garnet in the AppHost, the default), 'server' " +
            "(starts redis-server) or a connection string such as 'localhost:6379,password=secret'."),
    };

    public sealed record EmbeddedGarnet : RedisHosting;

    public sealed record RedisServerExecutable(string Path = "redis-server") : RedisHosting;

    public sealed record External(string ConnectionString) : RedisHosting;
}
