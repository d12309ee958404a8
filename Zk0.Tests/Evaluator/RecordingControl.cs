using System.Threading.Channels;
using Grpc.Core;
using Zk0.Federation.Protocol;

namespace Zk0.Tests.Evaluator;

/// <summary>The Control API's RecordEvaluation as a real gRPC service that keeps what the Evaluator reports.</summary>
public sealed class RecordingControl : Control.ControlBase
{
    private readonly Channel<RecordEvaluationRequest> _evaluations = Channel.CreateUnbounded<RecordEvaluationRequest>();

    /// <summary>How long each RecordEvaluation takes to answer (a slow SuperLink).</summary>
    public TimeSpan ReplyDelay { get; set; }

    public override async Task<RecordEvaluationReply> RecordEvaluation(RecordEvaluationRequest request, ServerCallContext context)
    {
        await Task.Delay(ReplyDelay, context.CancellationToken);
        await _evaluations.Writer.WriteAsync(request);
        return new RecordEvaluationReply { Accepted = true };
    }

    public async Task<RecordEvaluationRequest> NextAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        return await _evaluations.Reader.ReadAsync(cancellation.Token);
    }
}
