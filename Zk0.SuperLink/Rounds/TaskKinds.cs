namespace Zk0.SuperLink.Rounds;

/// <summary>Task kinds and node roles as stored.</summary>
public static class TaskKinds
{
    public const string Init = "init";
    public const string Train = "train";
    public const string Evaluate = "evaluate";
}

public static class NodeRoles
{
    public const string Trainer = "trainer";
    public const string Evaluator = "evaluator";
}
