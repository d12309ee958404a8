using Zk0.Federation.Protocol;

namespace Zk0.Gateway.FederationPage;

/// <summary><c>GET /api/runs</c>, <c>GET /api/runs/{runId}</c> and <c>GET /api/nodes</c>: the Control API's ListRuns, GetRun and ListNodes as JSON.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/runs", (Control.ControlClient control, HttpContext http) => ControlErrors.AnswerAsync(async () =>
        {
            var reply = await control.ListRunsAsync(new ListRunsRequest(), deadline: ControlDeadline.FromNow(), cancellationToken: http.RequestAborted);
            return Results.Json(reply.Runs.Select(RunSummaryView.From).OrderByDescending(r => r.CreatedUnixMs).ToList());
        }));

        api.MapGet("/runs/{runId}", (string runId, Control.ControlClient control, HttpContext http) => ControlErrors.AnswerAsync(async () =>
            Results.Json(RunDetailView.From(await control.GetRunAsync(new GetRunRequest { RunId = runId }, deadline: ControlDeadline.FromNow(), cancellationToken: http.RequestAborted)))));

        api.MapGet("/nodes", (Control.ControlClient control, HttpContext http) => ControlErrors.AnswerAsync(async () =>
        {
            var reply = await control.ListNodesAsync(new ListNodesRequest(), deadline: ControlDeadline.FromNow(), cancellationToken: http.RequestAborted);
            return Results.Json(reply.Nodes.Select(NodeView.From).ToList());
        }));
        return api;
    }
}
