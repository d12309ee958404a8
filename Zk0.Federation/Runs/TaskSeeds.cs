using System.Security.Cryptography;
using System.Text;

namespace Zk0.Federation.Runs;

/// <summary>
/// A seed per (run seed, round, dataset): reproducible runs, yet different nodes and rounds see
/// different batch orders. Nodes train with it; the AppHost records it in run.json.
/// </summary>
public static class TaskSeeds
{
    public static long For(long runSeed, int round, string datasetId)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{runSeed}/{round}/{datasetId}"));
        return BitConverter.ToInt64(digest, 0) & long.MaxValue;
    }
}
