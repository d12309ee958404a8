using Zk0.Policy.Abstractions;

namespace Zk0.Policy.Checkpoints;

/// <summary>
/// What a checkpoint records about the training behind it: the normalization of the data it was trained on (for the
/// processor files), the run settings and the dataset, where known (for <c>train_config.json</c>).
/// </summary>
public sealed record CheckpointTrainingRun(CheckpointNormalization Normalization, RunSettings? Settings = null, string? DatasetRepoId = null, string? DatasetRoot = null);
