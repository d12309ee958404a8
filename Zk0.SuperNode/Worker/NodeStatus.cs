namespace Zk0.SuperNode.Worker;

/// <summary>What the node is doing, shown at <c>GET /</c> (never the dataset URI).</summary>
public sealed class NodeStatus
{
    private readonly Lock _lock = new();
    private string _state = "starting";
    private string? _nodeId;
    private string? _datasetId;
    private int _tasksCompleted;
    private string? _lastError;

    public void Registered(string nodeId, string datasetId)
    {
        lock (_lock) (_nodeId, _datasetId, _state) = (nodeId, datasetId, "idle");
    }

    /// <summary>0 while the node works; 2 once it stopped because it cannot work (e.g. an unusable dataset).</summary>
    public int ExitCode { get; private set; }

    public void Failed(string reason)
    {
        lock (_lock) (_state, _lastError, ExitCode) = ("failed", reason, 2);
    }

    public void Set(string state)
    {
        lock (_lock) _state = state;
    }

    public void TaskDone(string? error)
    {
        lock (_lock)
        {
            _tasksCompleted++;
            _lastError = error;
            _state = "idle";
        }
    }

    public NodeStatusSnapshot Snapshot()
    {
        lock (_lock) return new NodeStatusSnapshot(_state, _nodeId, _datasetId, _tasksCompleted, _lastError);
    }
}

public sealed record NodeStatusSnapshot(string State, string? NodeId, string? DatasetId, int TasksCompleted, string? LastError);
