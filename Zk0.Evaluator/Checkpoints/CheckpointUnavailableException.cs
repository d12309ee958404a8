namespace Zk0.Evaluator.Checkpoints;

/// <summary>A checkpoint request the federation cannot answer; the message says why and what to do, the status how HTTP says it.</summary>
public sealed class CheckpointUnavailableException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
