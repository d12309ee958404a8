namespace Zk0.Datasets;

/// <summary>A dataset could not be opened, read or written; the message says which file and what to do.</summary>
public sealed class DatasetException(string message, Exception? inner = null) : Exception(message, inner);
