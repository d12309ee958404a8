using System.Reflection;

namespace Zk0.AppHost.Hosting;

/// <summary>A built project of the graph: the dll a replica runs and the csproj the manifest names.</summary>
public sealed record ProjectLocation(string AssemblyPath, string ProjectFile)
{
    public string ProjectDirectory => Path.GetDirectoryName(ProjectFile)!;
}

/// <summary>
/// Finds the graph's projects from the paths the AppHost build embeds (Zk0.AppHost.csproj,
/// target Zk0EmbedResourceProjectPaths), so the runner starts what the one build produced.
/// </summary>
public sealed class ProjectLocator(IReadOnlyDictionary<string, ProjectLocation> projects)
{
    private const string MetadataPrefix = "Zk0.Project:";

    public static ProjectLocator FromAppHostAssembly() => new(
        typeof(ProjectLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(a => a.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal) && a.Value is not null)
            .ToDictionary(
                a => a.Key[MetadataPrefix.Length..],
                a => a.Value!.Split('|') is [var dll, var csproj] ? new ProjectLocation(dll, csproj)
                    : throw new InvalidOperationException($"Malformed project metadata '{a.Value}'.")));

    public ProjectLocation Locate(string projectName)
    {
        if (!projects.TryGetValue(projectName, out var location))
        {
            throw new DistributedApplicationException(
                $"Project '{projectName}' is not one the AppHost was built with ({string.Join(", ", projects.Keys)}). " +
                "Add it as a ProjectReference with Zk0Resource=\"true\" in Zk0.AppHost.csproj.");
        }
        return location;
    }

    public ProjectLocation LocateBuilt(string projectName)
    {
        var location = Locate(projectName);
        if (!File.Exists(location.AssemblyPath))
        {
            throw new DistributedApplicationException(
                $"Project '{projectName}' has not been built: '{location.AssemblyPath}' does not exist. " +
                "Build the solution (dotnet build Zk0.Aspire.sln) or run through 'dotnet run --project Zk0.AppHost'.");
        }
        return location;
    }
}
