namespace Zk0.Policy.Checkpoints;

/// <summary>
/// Replaces a checkpoint directory without ever exposing a half-written one: the new content is built in
/// a staging sibling (with the old directory's other files, those the new content lacks, copied in), then the old directory is moved
/// aside and the staging one renamed into place. A crash before the swap leaves the old checkpoint as it
/// was; a crash inside the two renames leaves it complete under a <c>.previous</c> name.
/// </summary>
internal static class CheckpointDirectory
{
    public static void Replace(string directory, Action<string> writeInto, IReadOnlyCollection<string> replacedFiles)
    {
        var parent = Path.GetDirectoryName(directory) ?? throw new ArgumentException($"'{directory}' has no parent directory.", nameof(directory));
        Directory.CreateDirectory(parent);
        var name = Path.GetFileName(directory);
        var suffix = Guid.NewGuid().ToString("N");
        var staging = Path.Combine(parent, $".{name}.staging-{suffix}");
        var previous = Path.Combine(parent, $".{name}.previous-{suffix}");

        Directory.CreateDirectory(staging);
        try
        {
            writeInto(staging);
            if (Directory.Exists(directory))
            {
                CopyOtherFiles(directory, staging, replacedFiles);
                Directory.Move(directory, previous);
            }
            Directory.Move(staging, directory);
        }
        catch
        {
            if (!Directory.Exists(directory) && Directory.Exists(previous))
            {
                Directory.Move(previous, directory);
            }
            TryDelete(staging);
            throw;
        }
        TryDelete(previous);
    }

    /// <summary>A hint for a missing checkpoint whose previous version survived an interrupted swap.</summary>
    public static string RecoveryHint(string directory)
    {
        var parent = Path.GetDirectoryName(directory);
        if (parent is null || !Directory.Exists(parent))
        {
            return "";
        }
        var leftover = Directory.GetDirectories(parent, $".{Path.GetFileName(directory)}.previous-*").FirstOrDefault();
        return leftover is null ? "" : $" A save was interrupted; the previous checkpoint is intact at '{leftover}' (rename it back to recover).";
    }

    private static void CopyOtherFiles(string from, string to, IReadOnlyCollection<string> replacedFiles)
    {
        foreach (var source in Directory.EnumerateFileSystemEntries(from))
        {
            var name = Path.GetFileName(source);
            var target = Path.Combine(to, name);
            if (replacedFiles.Contains(name) || File.Exists(target) || Directory.Exists(target))
            {
                continue;
            }
            if (Directory.Exists(source))
            {
                Directory.CreateDirectory(target);
                CopyOtherFiles(source, target, []);
            }
            else
            {
                File.Copy(source, target);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: leftovers carry a dotted, unique name and never shadow a checkpoint.
        }
    }
}
