namespace Zk0.Federation.Security;

/// <summary>A node key file that is missing, unreadable or not an ECDSA P-256 key; the message names the file and what to do.</summary>
public sealed class NodeKeyException(string message) : Exception(message);
