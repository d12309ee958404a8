namespace Zk0.SuperLink.Hosting;

/// <summary>Bound from the "SuperLink" configuration section; every value has a default that works locally.</summary>
public sealed class SuperLinkOptions
{
    public const string Section = "SuperLink";

    /// <summary>Prefix of every Redis key, so several federations can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "zk0";
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan NodeLease { get; set; } = TimeSpan.FromSeconds(20);
    /// <summary>How long a replica's claim to drive a run lasts without renewal (a crashed replica's runs move on after this).</summary>
    public TimeSpan LeadershipLease { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>
    /// How often the round loop looks for runs to drive and re-checks waits (pub/sub wakes it sooner), and how long a node
    /// that does not long-poll waits before pulling again.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>
    /// Longest a long-polling PullTask is held while the node has no task; never more than half of <see cref="NodeLease"/>,
    /// so a node that only pulls (the Evaluator) keeps its lease while it waits.
    /// </summary>
    public TimeSpan MaxPullWait { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>
    /// How long after its lease expired a node's record is deleted; a forgotten node that calls again is told to
    /// register (the SuperNode and the Evaluator do so on their own).
    /// </summary>
    public TimeSpan ForgetNodesAfter { get; set; } = TimeSpan.FromMinutes(10);
    public InputLimits Limits { get; set; } = new();
    public SuperLinkAuthOptions Auth { get; set; } = new();
    /// <summary>Largest blob a node may upload.</summary>
    public long MaxBlobBytes { get; set; } = 16L << 30;
    /// <summary>
    /// How long the SuperLink remembers that a node uploaded a blob for a run; a result naming the blob must come within
    /// it (a node pushes right after uploading, and retries only until its task's deadline).
    /// </summary>
    public TimeSpan UploadRecordRetention { get; set; } = TimeSpan.FromDays(1);
    /// <summary>Failures in a row after which a run's driver stops resuming it and fails the run with the last error.</summary>
    public int MaxDriverFailures { get; set; } = 5;
    /// <summary>The wait a PullTask asking for <paramref name="requested"/> gets.</summary>
    public TimeSpan PullWait(TimeSpan requested) => new[] { requested, MaxPullWait, NodeLease / 2 }.Min();
    /// <summary>Identifies this replica in leadership claims.</summary>
    public string ReplicaId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
}
