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
    private TaskProgress? _progress;

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
        lock (_lock) (_state, _progress) = (state, null);
    }

    /// <summary>The task in hand moved on: a training step, or bytes of the update uploaded.</summary>
    public void Progressed(Func<TaskProgress?, TaskProgress> update)
    {
        lock (_lock) _progress = update(_progress);
    }

    public void TaskDone(string? error)
    {
        lock (_lock)
        {
            _tasksCompleted++;
            _lastError = error;
            _state = "idle";
            _progress = null;
        }
    }

    public NodeStatusSnapshot Snapshot()
    {
        lock (_lock) return new NodeStatusSnapshot(_state, _nodeId, _datasetId, _tasksCompleted, _lastError, _progress);
    }
}

public sealed record NodeStatusSnapshot(string State, string? NodeId, string? DatasetId, int TasksCompleted, string? LastError, TaskProgress? Progress);

/// <summary>How far the current task got: its round, the training step and loss, the update's upload.</summary>
public sealed record TaskProgress(int Round, int Step = 0, int Steps = 0, double? Loss = null, long UploadedBytes = 0, long UploadBytes = 0);
