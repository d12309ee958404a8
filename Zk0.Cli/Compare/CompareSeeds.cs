namespace Zk0.Cli.Compare;

/// <summary>Seeds derived from the run seed (SplitMix64 finalizer), so central training is reproducible yet its streams differ.</summary>
internal static class CompareSeeds
{
    public static long Mix(long seed, long salt)
    {
        unchecked
        {
            var x = (ulong)seed ^ ((ulong)salt * 0x9E3779B97F4A7C15UL);
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return (long)((x ^ (x >> 31)) & long.MaxValue);
        }
    }
}
