namespace Zk0.Evaluator;

/// <summary>Settings of the Evaluator, bound from the <c>Evaluator</c> configuration section.</summary>
public sealed class EvaluatorOptions
{
    public const string SectionName = "Evaluator";

    /// <summary>
    /// Datasets whose HELD-OUT episodes score every global model (<c>synth:task</c>, <c>local:/path</c>,
    /// <c>hf:owner/name</c>). A run may name its own with the run-config key <c>eval-datasets</c> (comma-separated).
    /// </summary>
    /// <remarks>
    /// Empty means <see cref="DefaultDataset"/> (a list default would be appended to by configuration binding, not replaced).
    /// </remarks>
    public List<string> Datasets { get; set; } = [];

    public const string DefaultDataset = "synth:red-cube-to-left-bin";

    /// <summary>
    /// Datasets of tasks no node trains on: scored too, but reported apart (per dataset and as <c>unseen_loss</c>,
    /// <c>unseen_success_rate</c>, ...) so the overall <c>loss</c> stays that of the nodes' own tasks. A run may name its own
    /// with <c>eval-unseen-datasets</c> (or <c>none</c>). The AppHost sets the synthetic tasks its nodes do not train on.
    /// </summary>
    public List<string> UnseenDatasets { get; set; } = [];

    /// <summary>Where the Fleet and Control APIs are. Empty: the gateway's gRPC endpoint if service discovery knows it (<c>http://_grpc.gateway</c>), else the SuperLink's.</summary>
    public string? FederationAddress { get; set; }

    /// <summary>The SuperLink's <c>SuperLink:Auth:EvaluatorToken</c>, sent on every call so the SuperLink knows its Evaluator; empty: none sent.</summary>
    public string? Token { get; set; }

    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "zk0-evaluator");

    /// <summary>Fixes every random draw of the evaluation loss, so a round's number changes only when the model does.</summary>
    public long EvaluationSeed { get; set; }

    public string Device { get; set; } = "cpu";

    /// <summary>How many pulled checkpoint archives (<c>GET /runs/{id}/checkpoint</c>) stay in <c>WorkDirectory/checkpoints</c>; at least the newest one does.</summary>
    public int CheckpointCacheCount { get; set; } = 2;

    /// <summary>How long the SuperLink may hold a task pull while there is no task (it caps the wait itself); zero polls.</summary>
    public TimeSpan PullWait { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(15);
}
