namespace Zk0.Gateway.FederationPage;

/// <summary>
/// How long the page's one-shot Control calls wait for a stuck SuperLink before answering 503 (the client has no resilience
/// handler, so no timeout of its own). The event stream has none: it lasts as long as the run.
/// </summary>
internal static class ControlDeadline
{
    public static readonly TimeSpan Unary = TimeSpan.FromSeconds(30);

    public static DateTime FromNow() => DateTime.UtcNow + Unary;
}
