namespace Zk0.Garnet;

/// <summary>The embedded Redis-protocol server's settings, bound from the <c>Garnet</c> section.</summary>
public sealed class GarnetOptions
{
    public const string SectionName = "Garnet";

    public string Bind { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 6379;

    /// <summary>Empty: no authentication (loopback only is then enforced).</summary>
    public string? Password { get; set; }

    /// <summary>Log-structured store memory (Garnet's <c>--memory</c>).</summary>
    public string Memory { get; set; } = "256m";

    /// <summary>Hash index size (Garnet's <c>--index</c>).</summary>
    public string Index { get; set; } = "16m";

    /// <summary>Where Garnet keeps its checkpoints and append-only file. Empty: a temporary folder removed on exit.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// Log every write to an append-only file in <see cref="DataDirectory"/> and replay it on start, so a restarted
    /// Garnet has what the killed one had.
    /// </summary>
    public bool Persistence { get; set; }

    /// <summary>
    /// Milliseconds between commits of the append-only file (Garnet's <c>--aof-commit-freq</c>). 0, the default, commits
    /// every write as it is made and answers it only once the commit has reached the file (<c>--aof-commit-wait</c>), so a
    /// Garnet killed with SIGKILL loses nothing it acknowledged (as Redis's <c>appendfsync everysec</c>, whose writes reach
    /// the OS at once). At 1000 a kill loses up to a second of writes, and
    /// the SuperLink, which acted on them, stalls: the drill <c>zk0 drill --only redis-restart</c> showed it half the time.
    /// </summary>
    public int CommitIntervalMs { get; set; }
}
