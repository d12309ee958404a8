namespace Zk0.Cli.Runs;

/// <summary>A pulled checkpoint: which run, round and global model it is, where it lies and its files (relative paths).</summary>
public sealed record CheckpointDownloadResult(string RunId, int Round, string ModelHash, string Directory, IReadOnlyList<string> Files);
