using System.Collections.Concurrent;

namespace Zk0.Datasets.Uris;

/// <summary>
/// Turns a dataset URI into a local directory: <c>local:/path</c>, a plain path, or <c>hf:owner/name[@revision]</c> resolved
/// offline from the Hugging Face caches. Other schemes (e.g. <c>synth:&lt;task&gt;</c>) plug in through <see cref="RegisterScheme"/>.
/// </summary>
public static class DatasetUri
{
    private static readonly ConcurrentDictionary<string, Func<string, string>> Schemes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a scheme whose resolver maps the text after <c>scheme:</c> to a dataset root directory.</summary>
    public static void RegisterScheme(string scheme, Func<string, string> resolveToRoot)
    {
        if (scheme is "local" or "hf" || scheme.Length < 2) throw new ArgumentException($"Scheme '{scheme}' is built in or too short (one letter looks like a drive).", nameof(scheme));
        Schemes[scheme] = resolveToRoot;
    }

    public static bool IsRegistered(string scheme) => Schemes.ContainsKey(scheme);

    public static string Resolve(string uri)
    {
        if (string.IsNullOrWhiteSpace(uri)) throw new DatasetException("No dataset given: pass local:/path, hf:owner/name or a directory.");
        var colon = uri.IndexOf(':');
        var scheme = colon > 1 ? uri[..colon] : "";
        var rest = colon > 1 ? uri[(colon + 1)..] : uri;
        return scheme.ToLowerInvariant() switch
        {
            "local" or "file" => Local(rest.StartsWith("//", StringComparison.Ordinal) ? rest[2..] : rest, uri),
            "hf" => HuggingFaceCache.Resolve(rest),
            Simulation.SyntheticDatasetUri.Scheme => Simulation.SyntheticDatasetUri.Parse(uri).Resolve(),
            "" => Local(uri, uri),
            _ when Schemes.TryGetValue(scheme, out var resolver) => resolver(rest),
            _ => throw new DatasetException($"Unknown dataset URI scheme '{scheme}:' in '{uri}'. Use local:/path, hf:owner/name, synth:<task> or a directory" +
                (Schemes.IsEmpty ? "." : $", or one of: {string.Join(", ", Schemes.Keys.Select(k => k + ":"))}.")),
        };
    }

    private static string Local(string path, string uri)
    {
        if (path.StartsWith('~')) path = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..];
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new DatasetException($"Dataset '{uri}' not found: directory {full} does not exist.");
        return full;
    }
}
