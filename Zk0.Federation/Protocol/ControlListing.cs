namespace Zk0.Federation.Protocol;

/// <summary>Every run or node, read page by page from the Control API's ListRuns and ListNodes (which serve bounded pages).</summary>
public static class ControlListing
{
    /// <param name="deadline">a deadline for each page's call (null: none)</param>
    public static Task<List<RunSummary>> AllRunsAsync(Control.ControlClient control, Func<DateTime?>? deadline = null, CancellationToken cancellationToken = default) =>
        AllPagesAsync<RunSummary>(async token =>
        {
            var page = await control.ListRunsAsync(new ListRunsRequest { PageToken = token }, deadline: deadline?.Invoke(), cancellationToken: cancellationToken);
            return (page.Runs, page.NextPageToken);
        });

    /// <param name="deadline">a deadline for each page's call (null: none)</param>
    public static Task<List<NodeInfo>> AllNodesAsync(Control.ControlClient control, bool includeExpired = false, Func<DateTime?>? deadline = null,
        CancellationToken cancellationToken = default) =>
        AllPagesAsync<NodeInfo>(async token =>
        {
            var page = await control.ListNodesAsync(new ListNodesRequest { IncludeExpired = includeExpired, PageToken = token },
                deadline: deadline?.Invoke(), cancellationToken: cancellationToken);
            return (page.Nodes, page.NextPageToken);
        });

    private static async Task<List<T>> AllPagesAsync<T>(Func<string, Task<(IEnumerable<T> Items, string NextPageToken)>> readPage)
    {
        var items = new List<T>();
        var token = "";
        do
        {
            var (page, next) = await readPage(token);
            items.AddRange(page);
            token = next;
        } while (token.Length > 0);
        return items;
    }
}
