using Zk0.Policy.Checkpoints;
using static TorchSharp.torch;

namespace Zk0.Tests.Policy.SmolVla;

/// <summary>
/// The golden SmolVLA fixture directory: <c>ZK0_SMOLVLA_FIXTURES</c>, else <c>../shared/fixtures/smolvla</c> relative to
/// the repository root. A missing file throws, so the test that needs it fails instead of being skipped.
/// </summary>
public static class SmolVlaFixtureFiles
{
    public static string Directory
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("ZK0_SMOLVLA_FIXTURES");
            return string.IsNullOrWhiteSpace(fromEnvironment)
                ? Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "fixtures", "smolvla"))
                : Path.GetFullPath(fromEnvironment);
        }
    }

    public static string PathOf(string fileName)
    {
        var path = Path.Combine(Directory, fileName);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"SmolVLA fixture file '{path}' is missing; set ZK0_SMOLVLA_FIXTURES to the fixture directory.", path);
        return path;
    }

    public static Dictionary<string, Tensor> Load(string fileName) => SafetensorsTorch.LoadAll(PathOf(fileName));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Zk0.Aspire.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException(
            $"No Zk0.Aspire.sln above '{AppContext.BaseDirectory}'; set ZK0_SMOLVLA_FIXTURES to the fixture directory.");
    }
}
