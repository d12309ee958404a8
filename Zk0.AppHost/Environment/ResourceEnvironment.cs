using Zk0.AppHost.Model;

namespace Zk0.AppHost.Environment;

/// <summary>
/// The environment an Aspire AppHost gives a project (docs/aspire-contract.md §2, §7.3), built
/// once from the model and rendered for run mode (per replica) or publish mode (manifest).
/// </summary>
public static class ResourceEnvironment
{
    /// <summary>Variables a started process never inherits from the AppHost (DcpHost's list).</summary>
    public static readonly IReadOnlySet<string> NotInherited = new HashSet<string>(StringComparer.Ordinal)
    {
        "ASPNETCORE_URLS", "DOTNET_LAUNCH_PROFILE", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT",
    };

    private static readonly KeyValuePair<string, string>[] DevelopmentOtelSettings =
    [
        new("OTEL_BLRP_SCHEDULE_DELAY", "1000"),
        new("OTEL_BSP_SCHEDULE_DELAY", "1000"),
        new("OTEL_METRIC_EXPORT_INTERVAL", "1000"),
        new("OTEL_TRACES_SAMPLER", "always_on"),
        new("OTEL_METRICS_EXEMPLAR_FILTER", "trace_based"),
        new("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true"),
        new("OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION", "true"),
        new("OTEL_DOTNET_EXPERIMENTAL_HTTPCLIENT_DISABLE_URL_QUERY_REDACTION", "true"),
    ];

    /// <summary>
    /// The variables of one project, in the order Aspire adds them. Run mode values that differ per
    /// replica (the process's own ports, instance id, replica environment) are rendered by <see cref="ForReplica"/>.
    /// </summary>
    public static List<KeyValuePair<string, EnvValue>> Build(ProjectResource project, ExecutionMode mode, OtlpSettings otlp)
    {
        var env = new List<KeyValuePair<string, EnvValue>>();
        void Add(string key, EnvValue value) => env.Add(new(key, value));

        Add("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES", "true");
        Add("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES", "true");
        Add("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory");

        var httpEndpoints = project.Endpoints.Where(e => e.Scheme is "http" or "https").ToList();
        if (mode == ExecutionMode.Publish)
        {
            if (httpEndpoints.Count > 0)
            {
                Add("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true");
                var http = httpEndpoints.Where(e => e.Scheme == "http").ToList();
                if (http.Count > 0) Add("HTTP_PORTS", Join(project, http));
            }
        }
        else
        {
            Add("ASPNETCORE_ENVIRONMENT", "Development");
            Add("OTEL_SERVICE_NAME", project.Name);
            if (otlp.Endpoint is not null)
            {
                Add("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.Endpoint);
                Add("OTEL_EXPORTER_OTLP_PROTOCOL", otlp.Protocol);
                if (otlp.Headers is not null) Add("OTEL_EXPORTER_OTLP_HEADERS", otlp.Headers);
            }
            foreach (var (key, value) in DevelopmentOtelSettings) Add(key, value);
            Add("DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION", "true");
            Add("LOGGING__CONSOLE__FORMATTERNAME", "simple");
        }

        foreach (var reference in project.References)
        {
            AddReference(env, reference);
        }

        env.AddRange(project.Environment);
        return env;
    }

    /// <summary>The concrete environment of replica <paramref name="replica"/> in run mode.</summary>
    public static Dictionary<string, string> ForReplica(
        ProjectResource project, int replica, string instanceId, IReadOnlyList<int> targetPorts,
        IRunValues values, OtlpSettings otlp)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var urls = project.Endpoints
            .Select((endpoint, i) => (endpoint, port: targetPorts[i]))
            .Where(x => x.endpoint.Scheme is "http" or "https")
            .Select(x => $"{x.endpoint.Scheme}://localhost:{x.port}")
            .ToList();
        if (urls.Count > 0) result["ASPNETCORE_URLS"] = string.Join(';', urls);

        foreach (var (key, value) in Build(project, ExecutionMode.Run, otlp))
        {
            result[key] = value.Render(values);
            if (key == "OTEL_SERVICE_NAME") result["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instanceId}";
        }

        foreach (var (key, valueFor) in project.ReplicaEnvironment) result[key] = valueFor(replica);
        return result;
    }

    private static void AddReference(List<KeyValuePair<string, EnvValue>> env, Resource reference)
    {
        void Add(string key, EnvValue value) => env.Add(new(key, value));
        var prefix = reference.Name.ToUpperInvariant().Replace('-', '_');

        switch (reference)
        {
            case RedisResource redis:
                Add($"ConnectionStrings__{redis.Name}", EnvValue.Of(new ConnectionStringPart(redis)));
                Add($"{prefix}_HOST", EnvValue.Of(new EndpointPart(redis, "tcp", EndpointProperty.Host)));
                Add($"{prefix}_PORT", EnvValue.Of(new EndpointPart(redis, "tcp", EndpointProperty.Port)));
                Add($"{prefix}_PASSWORD", EnvValue.Of(new ParameterPart(redis.Password)));
                Add($"{prefix}_URI", EnvValue.Of(
                    new EndpointPart(redis, "tcp", EndpointProperty.Scheme), new LiteralPart("://:"),
                    new ParameterPart(redis.Password, UriEncoded: true), new LiteralPart("@"),
                    new EndpointPart(redis, "tcp", EndpointProperty.Host), new LiteralPart(":"),
                    new EndpointPart(redis, "tcp", EndpointProperty.Port)));
                break;
            case ProjectResource project:
                foreach (var endpoint in project.Endpoints)
                {
                    var url = EnvValue.Of(new EndpointPart(project, endpoint.Name, EndpointProperty.Url));
                    Add($"{prefix}_{endpoint.Name.ToUpperInvariant()}", url);
                    Add($"services__{project.Name}__{endpoint.Name}__0", url);
                }
                break;
            case ParameterResource parameter:
                Add($"ConnectionStrings__{parameter.Name}", EnvValue.Of(new ParameterPart(parameter)));
                break;
        }
    }

    private static EnvValue Join(Resource resource, IReadOnlyList<EndpointSpec> endpoints)
    {
        var parts = new List<EnvPart>();
        foreach (var endpoint in endpoints)
        {
            if (parts.Count > 0) parts.Add(new LiteralPart(";"));
            parts.Add(new EndpointPart(resource, endpoint.Name, EndpointProperty.TargetPort));
        }
        return EnvValue.Of([.. parts]);
    }
}
