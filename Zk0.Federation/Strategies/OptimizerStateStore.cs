using System.Globalization;
using Zk0.Federation.Safetensors;

namespace Zk0.Federation.Strategies;

/// <summary>
/// A server optimizer's state as one safetensors file per round in the run's state folder
/// (<c>&lt;state&gt;/&lt;strategy&gt;/round-000007.safetensors</c>). Round N reads the newest file of a round before N
/// and writes its own, so redoing a round after a restart starts from the same state and writes the same file.
/// </summary>
public sealed class OptimizerStateStore(string stateDirectory, string strategyName)
{
    private const string Prefix = "round-";
    private const string Suffix = ".safetensors";

    public string Directory { get; } = Path.Combine(stateDirectory, strategyName);

    public string PathFor(int round) => Path.Combine(Directory, $"{Prefix}{round:D6}{Suffix}");

    /// <summary>The state left by the newest round before <paramref name="round"/>, or null on the run's first step.</summary>
    public SafetensorsFile? OpenLatestBefore(int round)
    {
        var latest = Rounds().Where(r => r < round).DefaultIfEmpty(0).Max();
        if (latest == 0) return null;
        try
        {
            return SafetensorsFile.Open(PathFor(latest));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"The {strategyName} server state of round {latest} ({PathFor(latest)}) cannot be read: {e.Message} " +
                "Restore it from a backup or start a new run; continuing without it would silently reset the optimizer.", e);
        }
    }

    /// <summary>Writes the round's state to a temporary file and renames it into place, so readers never see half a file.</summary>
    public void Write(int round, IReadOnlyList<SafetensorsEntry> entries)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temp = Path.Combine(Directory, $".{Guid.NewGuid():N}.partial");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                SafetensorsWriter.Write(file, entries, new Dictionary<string, string>
                {
                    ["strategy"] = strategyName,
                    ["round"] = round.ToString(CultureInfo.InvariantCulture),
                });
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, PathFor(round), overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Deletes states older than the one before <paramref name="round"/> (that one stays so the round can be redone).</summary>
    public void Prune(int round)
    {
        var keep = Rounds().Where(r => r < round).DefaultIfEmpty(0).Max();
        foreach (var old in Rounds().Where(r => r < keep)) File.Delete(PathFor(old));
    }

    public IEnumerable<int> Rounds()
    {
        if (!System.IO.Directory.Exists(Directory)) yield break;
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, $"{Prefix}*{Suffix}"))
        {
            var name = Path.GetFileName(path);
            if (int.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var r))
                yield return r;
        }
    }
}
