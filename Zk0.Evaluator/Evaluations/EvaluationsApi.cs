using Microsoft.AspNetCore.Http.HttpResults;

namespace Zk0.Evaluator.Evaluations;

public static class EvaluationsApi
{
    /// <summary><c>GET /evaluations</c> lists evaluated runs; <c>GET /evaluations/{runId}</c> gives each round's loss per dataset.</summary>
    public static IEndpointRouteBuilder MapEvaluationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/evaluations").WithTags("Evaluations");

        api.MapGet("/", (EvaluationStore store) => TypedResults.Ok(store.RunIds))
            .WithName("ListEvaluatedRuns");

        api.MapGet("/{runId}", Results<Ok<IReadOnlyList<RoundEvaluation>>, NotFound<string>> (string runId, EvaluationStore store) =>
                store.ForRun(runId) is { } rounds
                    ? TypedResults.Ok(rounds)
                    : TypedResults.NotFound($"No evaluations for run '{runId}' on this Evaluator yet."))
            .WithName("GetRunEvaluations");

        return app;
    }
}
