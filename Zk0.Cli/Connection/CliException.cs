namespace Zk0.Cli.Connection;

/// <summary>A mistake the operator can fix (a bad option, an unknown run); the message is the one line printed.</summary>
public sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
