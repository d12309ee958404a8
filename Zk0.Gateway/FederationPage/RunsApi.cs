using Zk0.Federation.Protocol;

namespace Zk0.Gateway.FederationPage;

/// <summary><c>GET /api/runs</c>, <c>GET /api/runs/{runId}</c> and <c>GET /api/nodes</c>: the Control API's ListRuns, GetRun and ListNodes as JSON.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/runs", (Control.ControlClient control, HttpContext http) => ControlErrors.AnswerAsync(async () =>
        {
            var runs = await ControlListing.AllRunsAsync(control, () => ControlDeadline.FromNow(), http.RequestAborted);
            return Results.Json(runs.Select(RunSummaryView.From).OrderByDescending(r => r.CreatedUnixMs).ToList());
        }));

        api.MapGet("/runs/{runId}", (string runId, Control.ControlClient control, HttpContext http) => ControlErrors.AnswerAsync(async () =>
            Results.Json(RunDetailView.From(await control.GetRunAsync(new GetRunRequest { RunId = runId }, deadline: ControlDeadline.FromNow(), cancellationToken: http.RequestAborted)))));

        api.MapGet("/nodes", (Control.ControlClient control, HttpContext http) => ControlErrors.AnswerAsync(async () =>
        {
            var nodes = await ControlListing.AllNodesAsync(control, deadline: () => ControlDeadline.FromNow(), cancellationToken: http.RequestAborted);
            return Results.Json(nodes.Select(NodeView.From).OrderBy(n => n.RegisteredUnixMs).ToList());
        }));
        return api;
    }
}
