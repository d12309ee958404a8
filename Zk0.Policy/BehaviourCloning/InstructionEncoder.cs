using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Zk0.Policy.BehaviourCloning;

/// <summary>
/// The task's instruction as the policy's switch between tasks: its words hashed into a fixed number of buckets (a bag of
/// words, no vocabulary to ship), then a linear layer. Trained federated with one task per node, the averaged model
/// otherwise has only the cube's colour to tell it which bin the cube goes to, and carried red cubes to the bin most
/// nodes' tasks use; a word a single node's instruction has is a column only that node's gradients move.
/// </summary>
public sealed class InstructionEncoder : nn.Module<Tensor, Tensor>
{
    public const int Buckets = 128;
    // A dataset has a handful of instructions and every training step sees them again: each is split and hashed once.
    private static readonly ConcurrentDictionary<string, float[]> Bags = new(StringComparer.Ordinal);
    private readonly Linear words;

    public InstructionEncoder(int outputSize) : base(nameof(InstructionEncoder))
    {
        words = nn.Linear(Buckets, outputSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor bagOfWords) => nn.functional.relu(words.forward(bagOfWords));

    /// <summary>One row per instruction: how often each bucket's words occur, over the instruction's word count.</summary>
    public static Tensor BagOfWords(IReadOnlyList<string> instructions, Device device)
    {
        var counts = new float[instructions.Count * Buckets];
        for (var i = 0; i < instructions.Count; i++)
            Bags.GetOrAdd(instructions[i], Bag).CopyTo(counts, i * Buckets);
        return tensor(counts, [instructions.Count, Buckets], device: device);
    }

    private static float[] Bag(string instruction)
    {
        var bag = new float[Buckets];
        var tokens = Words(instruction);
        foreach (var token in tokens) bag[Bucket(token)] += 1f / tokens.Count;
        return bag;
    }

    private static List<string> Words(string instruction) =>
        Regex.Split(instruction.ToLowerInvariant(), @"[^\p{L}\p{Nd}]+").Where(w => w.Length > 0).ToList();

    // FNV-1a: string.GetHashCode differs between processes, and a model must read the same buckets wherever it runs.
    public static int Bucket(string word)
    {
        var hash = 2166136261u;
        foreach (var c in word) hash = unchecked((hash ^ c) * 16777619u);
        return (int)(hash % Buckets);
    }
}
