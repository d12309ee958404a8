namespace Zk0.Tests.Federation.Safetensors;

/// <summary>Locates the shared fixture folders (`../shared` next to the repository root, or ZK0_SMOLVLA_FIXTURES).</summary>
internal static class SharedFixtures
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string SmolVlaDirectory =>
        Environment.GetEnvironmentVariable("ZK0_SMOLVLA_FIXTURES") is { Length: > 0 } overridden
            ? Path.GetFullPath(overridden)
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures", "smolvla"));

    public static string TokenizerDirectory => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures", "tokenizer"));

    /// <summary>The path of a fixture file; a missing file fails the test rather than skipping it.</summary>
    public static string SmolVla(string fileName) => Existing(Path.Combine(SmolVlaDirectory, fileName));

    public static string Tokenizer(string fileName) => Existing(Path.Combine(TokenizerDirectory, fileName));

    private static string Existing(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Fixture file '{path}' is missing. Set ZK0_SMOLVLA_FIXTURES or restore ../shared/fixtures.", path);
        }
        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Zk0.Aspire.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Zk0.Aspire.sln above '{AppContext.BaseDirectory}'.");
    }
}
