namespace Zk0.Evaluator.Checkpoints;

public static class CheckpointApi
{
    public const string TarContentType = "application/x-tar";
    public const string RunIdHeader = "X-Zk0-Run-Id";
    public const string RoundHeader = "X-Zk0-Round";
    public const string ModelHashHeader = "X-Zk0-Model-Hash";

    /// <summary>
    /// <c>GET /runs/{runId}/checkpoint?round=N</c>: the round's committed global model (no round: the latest) as a tar of a
    /// LeRobot checkpoint folder (<c>config.json</c>, <c>model.safetensors</c>, <c>README.md</c>) that loads as
    /// <c>policy-path</c>; the headers name the run, round and model hash. Errors answer one line of plain text.
    /// </summary>
    public static IEndpointRouteBuilder MapCheckpointApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/runs/{runId}/checkpoint", async (string runId, int? round, CheckpointArchives archives, HttpResponse response, CancellationToken cancellationToken) =>
            {
                try
                {
                    var archive = await archives.GetAsync(runId, round, cancellationToken);
                    response.Headers[RunIdHeader] = archive.Model.RunId;
                    response.Headers[RoundHeader] = archive.Model.Round.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    response.Headers[ModelHashHeader] = archive.Model.ModelHash;
                    // The stream result disposes the archive's stream once it is sent.
                    return Results.Stream(archive.Content, TarContentType, $"{archive.Model.RunId}-round-{archive.Model.Round}.tar");
                }
                catch (CheckpointUnavailableException error)
                {
                    return Results.Text(error.Message, "text/plain; charset=utf-8", statusCode: error.StatusCode);
                }
            })
            .WithTags("Checkpoints")
            .WithName("GetRunCheckpoint");
        return app;
    }
}
