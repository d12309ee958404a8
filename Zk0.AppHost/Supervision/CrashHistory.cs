namespace Zk0.AppHost.Supervision;

/// <summary>When one resource crashed recently: the crashes inside the policy's window count towards its cap.</summary>
public sealed class CrashHistory(TimeSpan window)
{
    private readonly Queue<DateTimeOffset> _crashes = new();

    /// <summary>Records a crash at <paramref name="at"/>; returns how many crashes fall within the window ending then.</summary>
    public int Record(DateTimeOffset at)
    {
        _crashes.Enqueue(at);
        while (_crashes.Peek() < at - window) _crashes.Dequeue();
        return _crashes.Count;
    }

    /// <summary>The operator started it again by hand: earlier crashes no longer count.</summary>
    public void Clear() => _crashes.Clear();
}
