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

    public object Snapshot()
    {
        lock (_lock) return new { state = _state, nodeId = _nodeId, datasetId = _datasetId, tasksCompleted = _tasksCompleted, lastError = _lastError };
    }
}
