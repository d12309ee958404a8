namespace Zk0.Cli.Drill.Nodes;

/// <summary>
/// How a drill trainer answers its tasks. Honest: at once. Slow: its uploads are throttled so the update arrives after
/// the round's deadline. Hung: it pulls its task and never answers (while it keeps its lease). Attacker: poisoned
/// updates (NaN, infinity, huge values with a huge num_examples, no tensors) and random bytes as the initial model.
/// </summary>
public enum TrainerBehaviour { Honest, Slow, Hung, Attacker }
