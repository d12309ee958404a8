namespace Zk0.SuperLink.State;

/// <summary>
/// The message on <see cref="RedisKeys.TasksQueued"/>: one line per owner of the tasks just queued,
/// <c>node:&lt;id&gt;</c> for a node's own queue or <c>role:&lt;role&gt;</c> for a role's shared queue.
/// </summary>
internal static class TaskQueueNotices
{
    private const string NodePrefix = "node:", RolePrefix = "role:";

    public static string Encode(IEnumerable<TaskQueueOwner> owners) =>
        string.Join('\n', owners.Distinct().Select(o => o.NodeId.Length > 0 ? NodePrefix + o.NodeId : RolePrefix + o.Role));

    public static IEnumerable<TaskQueueOwner> Decode(string message)
    {
        foreach (var line in message.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith(NodePrefix, StringComparison.Ordinal)) yield return new TaskQueueOwner(line[NodePrefix.Length..], "");
            else if (line.StartsWith(RolePrefix, StringComparison.Ordinal)) yield return new TaskQueueOwner("", line[RolePrefix.Length..]);
        }
    }
}
