namespace Zk0.Federation.Protocol;

/// <summary>Every run or node, read page by page from the Control API's ListRuns and ListNodes (which serve bounded pages).</summary>
public static class ControlListing
{
    /// <param name="deadline">a deadline for each page's call (null: none)</param>
    public static async Task<List<RunSummary>> AllRunsAsync(Control.ControlClient control, Func<DateTime?>? deadline = null, CancellationToken cancellationToken = default)
    {
        var runs = new List<RunSummary>();
        var token = "";
        do
        {
            var page = await control.ListRunsAsync(new ListRunsRequest { PageToken = token }, deadline: deadline?.Invoke(), cancellationToken: cancellationToken);
            runs.AddRange(page.Runs);
            token = page.NextPageToken;
        } while (token.Length > 0);
        return runs;
    }

    /// <param name="deadline">a deadline for each page's call (null: none)</param>
    public static async Task<List<NodeInfo>> AllNodesAsync(Control.ControlClient control, bool includeExpired = false, Func<DateTime?>? deadline = null,
        CancellationToken cancellationToken = default)
    {
        var nodes = new List<NodeInfo>();
        var token = "";
        do
        {
            var page = await control.ListNodesAsync(new ListNodesRequest { IncludeExpired = includeExpired, PageToken = token },
                deadline: deadline?.Invoke(), cancellationToken: cancellationToken);
            nodes.AddRange(page.Nodes);
            token = page.NextPageToken;
        } while (token.Length > 0);
        return nodes;
    }
}
