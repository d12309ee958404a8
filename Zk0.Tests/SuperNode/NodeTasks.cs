using Zk0.Federation.Protocol;

namespace Zk0.Tests.SuperNode;

/// <summary>Tasks as a SuperLink hands them to a node, for the tiny behaviour-cloning policy.</summary>
public static class NodeTasks
{
    public static FederatedTask Create(string id, TaskKind kind, int round, string globalHash = "", Dictionary<string, string>? config = null) => new()
    {
        TaskId = id,
        RunId = "run-1",
        Round = round,
        Kind = kind,
        GlobalModelHash = globalHash,
        // The fast behaviour-cloning policy: these tests are about the node, not the default SmolVLA.
        Config = { config ?? new(), { "policy", "bc" } },
    };
}
