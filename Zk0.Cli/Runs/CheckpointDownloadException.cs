namespace Zk0.Cli.Runs;

/// <summary>A checkpoint pull that failed; the message is one line saying why and what to do.</summary>
public sealed class CheckpointDownloadException(string message, Exception? inner = null) : Exception(message, inner);
