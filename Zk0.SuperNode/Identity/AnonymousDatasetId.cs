using System.Security.Cryptography;
using System.Text;

namespace Zk0.SuperNode.Identity;

/// <summary>
/// The only form in which a dataset's identity leaves the node: HMAC-SHA-256 of its URI under a secret,
/// node-local salt. Stable for one node, meaningless to anyone without the salt.
/// </summary>
public static class AnonymousDatasetId
{
    public static string Compute(string datasetUri, byte[] salt)
    {
        var digest = HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(datasetUri.Trim()));
        return "ds-" + Convert.ToHexStringLower(digest.AsSpan(0, 12));
    }

    /// <summary>The configured salt, or the one kept in <paramref name="saltFile"/> (created with 32 random bytes when missing).</summary>
    public static byte[] LoadOrCreateSalt(string? configuredSalt, string saltFile)
    {
        if (!string.IsNullOrEmpty(configuredSalt)) return Encoding.UTF8.GetBytes(configuredSalt);
        if (File.Exists(saltFile))
        {
            var stored = File.ReadAllText(saltFile).Trim();
            try
            {
                var bytes = Convert.FromHexString(stored);
                if (bytes.Length >= 16) return bytes;
            }
            catch (FormatException)
            {
            }
            throw new InvalidDataException(
                $"The dataset salt file '{saltFile}' is not 32+ hex characters. Delete it to create a new salt (the node's dataset id will change).");
        }
        var salt = RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(saltFile))!);
        File.WriteAllText(saltFile, Convert.ToHexStringLower(salt));
        return salt;
    }
}
