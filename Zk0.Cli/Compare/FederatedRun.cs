using Zk0.Policy.Abstractions;

namespace Zk0.Cli.Compare;

/// <summary>One federated node of the run: its index and the dataset it trained on.</summary>
public sealed record RunNode(int NodeIndex, string DatasetUri, string DatasetId);

/// <summary>
/// What the federation did in one round: the optimizer steps all nodes took together and the learning rate the
/// SuperLink scheduled for the round (null when metrics.json does not record one: the run config's rate applies).
/// </summary>
public sealed record FederatedRound(int Round, int Steps, double? LearningRate);

/// <summary>
/// A finished federated run as read from its output folder (<c>run.json</c>, <c>metrics.json</c> and
/// <c>checkpoints/final/</c>); <c>UnseenEvalDatasets</c> are the evaluation tasks no node trains on. Everything <c>zk0 compare</c> needs to train the central baseline and score both.
/// </summary>
public sealed record FederatedRun(
    string Folder,
    string RunId,
    IReadOnlyDictionary<string, string> Config,
    IReadOnlyList<RunNode> Nodes,
    IReadOnlyList<string> EvalDatasets,
    long? EvaluationSeed,
    IReadOnlyList<FederatedRound> Rounds,
    TimeSpan WallTime,
    string FinalCheckpoint,
    IReadOnlyList<string> UnseenEvalDatasets)
{
    public int TotalSteps => Rounds.Sum(r => r.Steps);

    /// <summary>The run scored with another number of closed-loop episodes per task; evaluation only, training is unchanged.</summary>
    public FederatedRun WithEvalEpisodes(int episodes) => this with
    {
        Config = new Dictionary<string, string>(Config, StringComparer.Ordinal)
        {
            [RunSettings.EvalEpisodesKey] = episodes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };
}
