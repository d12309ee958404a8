using System.Text.Json;
using Zk0.AppHost.Environment;
using Zk0.AppHost.Model;

namespace Zk0.AppHost.Manifest;

/// <summary>
/// Writes the model as an Aspire deployment manifest (<c>aspire-manifest.json</c>, schema
/// aspire-8.0), in the shapes Aspire 13.x writes for AddRedis and AddProject (docs/aspire-contract.md §3, §8).
/// </summary>
public static class ManifestWriter
{
    public const string SchemaUrl = "https://json.schemastore.org/aspire-8.0.json";
    public const string RedisImage = "docker.io/library/redis:8.6";

    public static void Write(AppModel model, string outputPath, Func<ProjectResource, string> projectFileOf)
    {
        var fullPath = Path.GetFullPath(outputPath);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        using var stream = File.Create(fullPath);
        Write(model, stream, project => Path.GetRelativePath(directory, projectFileOf(project)).Replace('\\', '/'));
    }

    public static void Write(AppModel model, Stream output, Func<ProjectResource, string> relativeProjectPathOf)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("$schema", SchemaUrl);
        json.WriteStartObject("resources");
        // Aspire writes resources in declaration order; AddRedis's generated password parameter
        // comes after the resources that use it, so parameters go last.
        foreach (var resource in model.Resources.OrderBy(r => r is ParameterResource ? 1 : 0))
        {
            switch (resource)
            {
                case RedisResource redis: WriteRedis(json, redis); break;
                case ProjectResource project: WriteProject(json, project, relativeProjectPathOf(project)); break;
                case ParameterResource parameter: WriteParameter(json, parameter, model); break;
            }
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteRedis(Utf8JsonWriter json, RedisResource redis)
    {
        json.WriteStartObject(redis.Name);
        json.WriteString("type", "container.v0");
        json.WriteString("connectionString", RedisConnectionString.Render(redis).Publish());
        json.WriteString("image", RedisImage);
        json.WriteString("entrypoint", "/bin/sh");
        json.WriteStartArray("args");
        json.WriteStringValue("-c");
        json.WriteStringValue("redis-server --requirepass $REDIS_PASSWORD");
        json.WriteEndArray();
        json.WriteStartObject("env");
        json.WriteString("REDIS_PASSWORD", EnvValue.Of(new ParameterPart(redis.Password)).Publish());
        json.WriteEndObject();
        WriteBindings(json, redis.Endpoints, targetPort: RedisResource.ContainerPort);
        json.WriteEndObject();
    }

    private static void WriteProject(Utf8JsonWriter json, ProjectResource project, string relativePath)
    {
        json.WriteStartObject(project.Name);
        json.WriteString("type", "project.v0");
        json.WriteString("path", relativePath);
        json.WriteStartObject("env");
        foreach (var (key, value) in ResourceEnvironment.Build(project, ExecutionMode.Publish, OtlpSettings.None))
        {
            json.WriteString(key, value.Publish());
        }
        json.WriteEndObject();
        WriteBindings(json, project.Endpoints, targetPort: null);
        json.WriteEndObject();
    }

    private static void WriteBindings(Utf8JsonWriter json, IEnumerable<EndpointSpec> endpoints, int? targetPort)
    {
        json.WriteStartObject("bindings");
        foreach (var endpoint in endpoints)
        {
            json.WriteStartObject(endpoint.Name);
            json.WriteString("scheme", endpoint.Scheme);
            json.WriteString("protocol", "tcp");
            json.WriteString("transport", endpoint.Transport);
            if (endpoint.Port is int port && port != targetPort) json.WriteNumber("port", port);
            if (targetPort is int target) json.WriteNumber("targetPort", target);
            if (endpoint.External) json.WriteBoolean("external", true);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteParameter(Utf8JsonWriter json, ParameterResource parameter, AppModel model)
    {
        json.WriteStartObject(parameter.Name);
        json.WriteString("type", "parameter.v0");
        json.WriteString("value", $"{{{parameter.Name}.inputs.value}}");
        json.WriteStartObject("inputs");
        json.WriteStartObject("value");
        json.WriteString("type", "string");
        if (parameter.Secret) json.WriteBoolean("secret", true);
        json.WriteStartObject("default");
        if (parameter.Default is null)
        {
            json.WriteStartObject("generate");
            json.WriteNumber("minLength", ParameterResource.GeneratedMinLength);
            json.WriteBoolean("special", false);
            json.WriteEndObject();
        }
        else
        {
            json.WriteString("value", parameter.Default);
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();

        if (model.Resources.OfType<RedisResource>().Any(r => r.Password == parameter))
        {
            json.WriteStartObject($"{parameter.Name}-uri-encoded");
            json.WriteString("type", "annotated.string");
            json.WriteString("value", $"{{{parameter.Name}.value}}");
            json.WriteString("filter", "uri");
            json.WriteEndObject();
        }
    }
}
