namespace Zk0.SuperLink.State;

/// <summary>Every Redis key the SuperLink uses, in one place (prefix configurable so several federations can share a server).</summary>
public sealed class RedisKeys(string prefix)
{
    public string Node(string nodeId) => $"{prefix}:node:{nodeId}";
    public string NodeLeases => $"{prefix}:nodes:leases";
    public string Runs => $"{prefix}:runs";
    public string ActiveRuns => $"{prefix}:runs:active";
    public string Run(string runId) => $"{prefix}:run:{runId}";
    public string Round(string runId, int round) => $"{prefix}:run:{runId}:round:{round}";
    public string Results(string runId, int round) => $"{prefix}:run:{runId}:round:{round}:results";
    public string Evaluation(string runId, int round) => $"{prefix}:run:{runId}:round:{round}:eval";
    public string Events(string runId) => $"{prefix}:run:{runId}:events";
    public string Changes(string runId) => $"{prefix}:run:{runId}:changed";
    public string Leadership(string runId) => $"{prefix}:run:{runId}:leader";
    /// <summary>One key per upload, each expiring by itself: what a node uploaded for a run is remembered only while a result may name it.</summary>
    public string Upload(string runId, string nodeId, string sha256) => $"{prefix}:run:{runId}:upload:{nodeId}:{sha256}";
    public string Task(string taskId) => $"{prefix}:task:{taskId}";
    public string NodeQueue(string nodeId) => $"{prefix}:queue:node:{nodeId}";
    public string RoleQueue(string role) => $"{prefix}:queue:role:{role}";
    public string QueueOf(TaskRecord task) => task.NodeId.Length > 0 ? NodeQueue(task.NodeId) : RoleQueue(task.Role);
    /// <summary>Pub/sub channel announcing queued tasks (see <see cref="TaskQueueNotices"/>); one per prefix, whatever the number of nodes.</summary>
    public string TasksQueued => $"{prefix}:tasks:queued";
}
