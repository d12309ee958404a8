using Microsoft.AspNetCore.Http.HttpResults;

namespace Zk0.Evaluator.Evaluations;

public static class EvaluationVideosApi
{
    public const string Mp4ContentType = "video/mp4";

    /// <summary>
    /// <c>GET /runs/{runId}/videos[?round=N]</c> lists the run's evaluation videos (empty when none);
    /// <c>GET /runs/{runId}/videos/{round}/{task}/{file}</c> serves one <c>episode-K.mp4</c> or <c>episode-K.json</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapEvaluationVideosApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/runs/{runId}/videos").WithTags("Evaluation videos");

        api.MapGet("/", (string runId, int? round, EvaluationVideoStore store) => TypedResults.Ok(store.List(runId, round)))
            .WithName("ListEvaluationVideos");

        api.MapGet("/{round:int}/{task}/{file}", Results<PhysicalFileHttpResult, NotFound<string>> (string runId, int round, string task, string file, EvaluationVideoStore store) =>
                store.FilePath(runId, round, task, file) is { } path
                    ? TypedResults.PhysicalFile(path, path.EndsWith(".mp4", StringComparison.Ordinal) ? Mp4ContentType : "application/json")
                    : TypedResults.NotFound($"Run '{runId}' has no evaluation file '{task}/{file}' for round {round} on this Evaluator."))
            .WithName("GetEvaluationVideoFile");

        return app;
    }
}
