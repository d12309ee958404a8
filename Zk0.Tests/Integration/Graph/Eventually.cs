namespace Zk0.Tests.Integration.Graph;

/// <summary>Polls a condition of a running graph that becomes true a moment after a resource reports healthy.</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
        return true;
    }
}
