namespace Zk0.Evaluator.Worker;

/// <summary>
/// Lets one policy at a time be built in this process: scoring a model and building a checkpoint each hold a whole
/// policy (SmolVLA: gigabytes), so the two take turns instead of doubling the Evaluator's memory.
/// </summary>
public sealed class PolicyWorkGate : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(work, cancellationToken);
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();
}
