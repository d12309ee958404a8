namespace Zk0.AppHost.Graph;

public static class LocalStateExtensions
{
    /// <summary>Points a service setting at a folder of the local state directory; does nothing when publishing.</summary>
    public static IResourceBuilder<T> WithLocalState<T>(this IResourceBuilder<T> resource, LocalStateDirectory state, string variable, string folder)
        where T : IResourceWithEnvironment =>
        state.Exists ? resource.WithEnvironment(variable, state.PathFor(folder)) : resource;
}
