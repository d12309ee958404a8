using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Grpc.Core;
using Zk0.Federation.Protocol;

namespace Zk0.Gateway.FederationPage;

/// <summary>
/// <c>GET /api/runs/{runId}/events</c>: the Control API's StreamRunEvents as server-sent events, one JSON
/// <see cref="RunEventView"/> each, its id the event's sequence number. A browser reconnecting sends that id back as
/// <c>Last-Event-ID</c> and the stream resumes after it.
/// </summary>
public static class RunEventStream
{
    public const string LastEventIdHeader = "Last-Event-ID";

    public static IEndpointRouteBuilder MapRunEventStream(this IEndpointRouteBuilder api)
    {
        api.MapGet("/runs/{runId}/events", (string runId, Control.ControlClient control, HttpContext http, IHostApplicationLifetime lifetime, ILoggerFactory loggers) =>
            ControlErrors.AnswerAsync(async () =>
            {
                // Asked first so an unknown run is a 404, not an event stream that fails once open.
                await control.GetRunAsync(new GetRunRequest { RunId = runId }, deadline: ControlDeadline.FromNow(), cancellationToken: http.RequestAborted);
                var after = long.TryParse(http.Request.Headers[LastEventIdHeader], out var last) && last > 0 ? last : 0;
                var logger = loggers.CreateLogger(typeof(RunEventStream));
                return TypedResults.ServerSentEvents(EventsAsync(control, runId, after, logger, lifetime.ApplicationStopping, http.RequestAborted));
            }));
        return api;
    }

    private static async IAsyncEnumerable<SseItem<RunEventView>> EventsAsync(
        Control.ControlClient control, string runId, long afterSequence, ILogger logger, CancellationToken stopping, [EnumeratorCancellation] CancellationToken left)
    {
        // A gateway that is stopping ends its streams too (Kestrel would otherwise wait for them); browsers resume elsewhere.
        using var following = CancellationTokenSource.CreateLinkedTokenSource(left, stopping);
        var ct = following.Token;
        using var call = control.StreamRunEvents(new StreamRunEventsRequest { RunId = runId, AfterSequence = afterSequence }, cancellationToken: ct);
        while (await NextAsync(call.ResponseStream, runId, logger, ct))
        {
            var runEvent = call.ResponseStream.Current;
            yield return new SseItem<RunEventView>(RunEventView.From(runEvent)) { EventId = runEvent.Sequence.ToString(CultureInfo.InvariantCulture) };
        }
    }

    /// <summary>False at the run's end, when the browser left, or when the SuperLink went away (the browser then reconnects with Last-Event-ID).</summary>
    private static async Task<bool> NextAsync(IAsyncStreamReader<RunEvent> events, string runId, ILogger logger, CancellationToken ct)
    {
        try
        {
            return await events.MoveNext(ct);
        }
        catch (RpcException e)
        {
            if (!ct.IsCancellationRequested) logger.LogInformation("Event stream of run {RunId} ended by the SuperLink: {Status}", runId, e.Status);
            return false;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
