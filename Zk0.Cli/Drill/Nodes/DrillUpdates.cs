using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Zk0.Cli.Drill.Nodes;

/// <summary>
/// Which synthetic model a drill node sends: a function of the run's seed, the round, the node's dataset and the model
/// it was given, nothing else. Two runs with the same seed and the same rounds therefore end with the same model, and a
/// round that folded a wrong set of updates (or a wrong base) changes every model after it.
/// </summary>
public static class DrillUpdates
{
    /// <summary>Variants stay small: <see cref="Simulation.SyntheticModel"/> scales values by 1 + variant/100.</summary>
    private const uint Variants = 1000;

    public static int TrainVariant(string runSeed, int round, string datasetId, string baseModelHash) =>
        Variant($"train/{runSeed}/{round}/{datasetId}/{baseModelHash}");

    /// <summary>The initial model a node builds for an init task: from the run's seed alone, whichever node builds it.</summary>
    public static int InitialVariant(string runSeed) => Variant($"init/{runSeed}");

    /// <summary>A deterministic evaluation loss for a model, in [0, 1).</summary>
    public static double EvaluationLoss(string modelHash) => Variant($"eval/{modelHash}") / (double)Variants;

    private static int Variant(string text) =>
        1 + (int)(BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text))) % Variants);
}
