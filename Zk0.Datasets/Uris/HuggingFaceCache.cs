namespace Zk0.Datasets.Uris;

/// <summary>Finds <c>owner/name</c> in the local Hugging Face caches, without the network.</summary>
public static class HuggingFaceCache
{
    public static string Resolve(string repoId)
    {
        var (repo, revision) = repoId.Split('@', 2) is [var r, var rev] ? (r, rev) : (repoId, null);
        var parts = repo.Split('/');
        if (parts.Length != 2 || parts.Any(string.IsNullOrWhiteSpace) || parts.Any(p => p is "." or ".."))
            throw new DatasetException($"'hf:{repoId}' is not a dataset id; write hf:owner/name (optionally @revision).");
        var looked = new List<string>();
        foreach (var candidate in Candidates(parts[0], parts[1], revision))
        {
            looked.Add(candidate);
            if (File.Exists(Path.Combine(candidate, "meta", "info.json"))) return candidate;
        }
        throw new DatasetException($"Dataset hf:{repoId} is not in the local Hugging Face cache (offline). Looked in:\n  " +
            string.Join("\n  ", looked.Distinct()) +
            $"\nDownload it first (e.g. huggingface-cli download --repo-type dataset {repo}) or pass local:/path.");
    }

    private static IEnumerable<string> Candidates(string owner, string name, string? revision)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var hfHome = Environment.GetEnvironmentVariable("HF_HOME") is { Length: > 0 } h ? h : Path.Combine(home, ".cache", "huggingface");
        if (revision is null)
        {
            if (Environment.GetEnvironmentVariable("HF_LEROBOT_HOME") is { Length: > 0 } lerobotHome)
                yield return Path.Combine(lerobotHome, owner, name);
            yield return Path.Combine(hfHome, "lerobot", owner, name);
        }
        var hubCache = Environment.GetEnvironmentVariable("HF_HUB_CACHE") is { Length: > 0 } c ? c : Path.Combine(hfHome, "hub");
        var repoDir = Path.Combine(hubCache, $"datasets--{owner}--{name}");
        var snapshots = Path.Combine(repoDir, "snapshots");
        var wanted = revision ?? "main";
        var refFile = Path.Combine(repoDir, "refs", wanted);
        if (File.Exists(refFile)) yield return Path.Combine(snapshots, File.ReadAllText(refFile).Trim());
        yield return Path.Combine(snapshots, wanted);
        if (revision is null && Directory.Exists(snapshots))
            foreach (var snapshot in new DirectoryInfo(snapshots).EnumerateDirectories().OrderByDescending(d => d.LastWriteTimeUtc))
                yield return snapshot.FullName;
        else if (revision is null) yield return snapshots;
    }
}
