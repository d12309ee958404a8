namespace Zk0.SuperNode;

/// <summary>Settings of one SuperNode, bound from the <c>SuperNode</c> configuration section.</summary>
public sealed class SuperNodeOptions
{
    public const string SectionName = "SuperNode";

    /// <summary>The node's data: <c>local:/path</c>, <c>hf:owner/name</c> or <c>synth:task</c>. Never leaves the node.</summary>
    public string DatasetUri { get; set; } = "synth:red-cube-to-left-bin";

    /// <summary>
    /// Where the Fleet API is. Empty: the gateway's gRPC endpoint when service discovery knows it
    /// (<c>http://_grpc.gateway</c>), otherwise the SuperLink's (<c>http://_grpc.superlink</c>).
    /// </summary>
    public string? FleetAddress { get; set; }

    /// <summary>
    /// The folder <c>zk0 node keygen</c> wrote (node.key): every Fleet call is signed with it, as a federation with node
    /// authentication requires. Empty: calls are not signed (a local demo federation).
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>The federation's CA (the <c>ca.crt</c> of <c>zk0 server cert</c>) the gateway's certificate must chain to; empty: the system's roots.</summary>
    public string? CaFile { get; set; }

    /// <summary>Allows plain h2c to a Fleet address that is not loopback (unencrypted; for trusted networks only).</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>Scratch space for downloaded global models and updates.</summary>
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "zk0-supernode");

    /// <summary>
    /// Secret salt for the anonymous dataset id. Empty: a random salt is created once and kept in
    /// <c>SaltFile</c>, so the id is stable across restarts but cannot be linked to the dataset elsewhere.
    /// </summary>
    public string? DatasetSalt { get; set; }

    public string SaltFile { get; set; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.Create), ".zk0", "node-salt");

    public string? DisplayName { get; set; }

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>
    /// libtorch's threads for training on the CPU; 0 leaves libtorch's default of one per core. Nodes that share a machine
    /// should split its cores (the AppHost gives each of its local nodes an equal share): each node taking every core makes
    /// their threads spin against each other.
    /// </summary>
    public int TorchThreads { get; set; }

    /// <summary>How long the SuperLink may hold a task pull while there is no task (it caps the wait itself); zero polls.</summary>
    public TimeSpan PullWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First retry delay after a failed call; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(15);
}
