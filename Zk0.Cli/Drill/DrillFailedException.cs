namespace Zk0.Cli.Drill;

/// <summary>The federation did not behave as the drill requires; the message says what was expected and what happened.</summary>
public sealed class DrillFailedException(string message) : Exception(message);
