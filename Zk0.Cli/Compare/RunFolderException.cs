namespace Zk0.Cli.Compare;

/// <summary>A run output folder that <c>zk0 compare</c> cannot use; the message names the path and what to do.</summary>
public sealed class RunFolderException(string message) : InvalidOperationException(message);
