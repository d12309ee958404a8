namespace Zk0.Tests.Gateway.FederationPage;

/// <summary>One server-sent event as a browser's EventSource would see it.</summary>
public sealed record ServerSentEvent(string? Id, string? Type, string Data)
{
    /// <summary>Splits a <c>text/event-stream</c> body into its events (blank-line separated; <c>field: value</c> lines).</summary>
    public static IReadOnlyList<ServerSentEvent> Parse(string body)
    {
        var events = new List<ServerSentEvent>();
        foreach (var block in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? id = null, type = null;
            var data = new List<string>();
            foreach (var line in block.Split('\n'))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon == 0) continue; // a comment
                var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
                switch (field)
                {
                    case "id": id = value; break;
                    case "event": type = value; break;
                    case "data": data.Add(value); break;
                }
            }
            if (data.Count > 0) events.Add(new ServerSentEvent(id, type, string.Join('\n', data)));
        }
        return events;
    }
}
