using Zk0.Federation.Security;

namespace Zk0.AppHost.Authentication;

/// <summary>
/// The operator credential of a local federation, kept in <c>.zk0/operator-token</c> under the folder the AppHost runs
/// in (readable by its owner only): created once, reused by every later start, so the admin can hand it out.
/// </summary>
public static class OperatorTokenFile
{
    public const string RelativePath = ".zk0/operator-token";

    /// <summary>The token in <paramref name="directory"/>'s token file, created first when missing.</summary>
    public static (string Token, string Path) LoadOrCreate(string directory)
    {
        var path = Path.Combine(directory, RelativePath);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length == 0)
                throw new InvalidOperationException($"{path} is empty: delete it and start again to create a new operator token.");
            return (existing, path);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var token = OperatorCredential.NewToken();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(path, options)) writer.WriteLine(token);
        return (token, path);
    }
}
