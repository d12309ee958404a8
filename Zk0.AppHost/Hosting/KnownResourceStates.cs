namespace Zk0.AppHost.Hosting;

/// <summary>Resource states with Aspire's names (<c>KnownResourceStates</c>).</summary>
public static class KnownResourceStates
{
    public const string NotStarted = nameof(NotStarted);
    public const string Waiting = nameof(Waiting);
    public const string Starting = nameof(Starting);
    public const string Running = nameof(Running);
    public const string Stopping = nameof(Stopping);
    public const string Exited = nameof(Exited);
    public const string Finished = nameof(Finished);
    public const string FailedToStart = nameof(FailedToStart);

    public static bool IsTerminal(string state) => state is Exited or Finished or FailedToStart;
}
