using System.Diagnostics;

namespace Zk0.Federation.Tracing;

/// <summary>Carries a round's W3C trace context through tasks, so every service's spans of a round share one trace.</summary>
public static class RoundTraceContext
{
    /// <summary>Starts <paramref name="name"/> as a child of the round whose traceparent a task carries (or of the current activity when it has none).</summary>
    public static Activity? StartActivity(ActivitySource source, string name, string? traceparent, ActivityKind kind = ActivityKind.Internal)
    {
        if (!string.IsNullOrEmpty(traceparent) && ActivityContext.TryParse(traceparent, null, out var parent))
            return source.StartActivity(name, kind, parent);
        return source.StartActivity(name, kind);
    }

    /// <summary>The W3C traceparent header value of <paramref name="activity"/>.</summary>
    public static string ToTraceparent(Activity activity) => activity.Id ?? string.Empty;
}
