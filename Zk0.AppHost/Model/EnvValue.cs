namespace Zk0.AppHost.Model;

/// <summary>
/// An environment value written once in the model and rendered two ways: as the concrete value a
/// local process gets (run mode) or as an Aspire manifest expression such as
/// <c>{superlink.bindings.http.url}</c> (publish mode).
/// </summary>
public sealed class EnvValue
{
    private readonly IReadOnlyList<EnvPart> _parts;

    private EnvValue(IReadOnlyList<EnvPart> parts) => _parts = parts;

    public static EnvValue Of(params EnvPart[] parts) => new(parts);

    public static implicit operator EnvValue(string literal) => new([new LiteralPart(literal)]);

    public string Render(IRunValues values) => string.Concat(_parts.Select(p => p.Render(values)));

    public string Publish() => string.Concat(_parts.Select(p => p.Publish()));
}

/// <summary>The values only known once the graph runs: ports, URLs, generated passwords.</summary>
public interface IRunValues
{
    string Host(Resource resource, string endpointName);

    int Port(Resource resource, string endpointName);

    int TargetPort(Resource resource, string endpointName);

    string ParameterValue(ParameterResource parameter);

    string ConnectionString(RedisResource redis);
}

public abstract record EnvPart
{
    public abstract string Render(IRunValues values);

    public abstract string Publish();
}

public sealed record LiteralPart(string Value) : EnvPart
{
    public override string Render(IRunValues values) => Value;

    public override string Publish() => Value;
}

public enum EndpointProperty { Url, Host, Port, TargetPort, Scheme }

public sealed record EndpointPart(Resource Resource, string EndpointName, EndpointProperty Property) : EnvPart
{
    public override string Render(IRunValues values)
    {
        var endpoint = Resource.GetEndpoint(EndpointName);
        return Property switch
        {
            EndpointProperty.Url => $"{endpoint.Scheme}://{values.Host(Resource, EndpointName)}:{values.Port(Resource, EndpointName)}",
            EndpointProperty.Host => values.Host(Resource, EndpointName),
            EndpointProperty.Port => values.Port(Resource, EndpointName).ToString(System.Globalization.CultureInfo.InvariantCulture),
            EndpointProperty.TargetPort => values.TargetPort(Resource, EndpointName).ToString(System.Globalization.CultureInfo.InvariantCulture),
            EndpointProperty.Scheme => endpoint.Scheme,
            _ => throw new ArgumentOutOfRangeException(nameof(Property), Property, null),
        };
    }

    public override string Publish() =>
        $"{{{Resource.Name}.bindings.{EndpointName}.{char.ToLowerInvariant(Property.ToString()[0])}{Property.ToString()[1..]}}}";
}

public sealed record ParameterPart(ParameterResource Parameter, bool UriEncoded = false) : EnvPart
{
    public override string Render(IRunValues values)
    {
        var value = values.ParameterValue(Parameter);
        return UriEncoded ? Uri.EscapeDataString(value) : value;
    }

    public override string Publish() => UriEncoded ? $"{{{Parameter.Name}-uri-encoded.value}}" : $"{{{Parameter.Name}.value}}";
}

public sealed record ConnectionStringPart(RedisResource Redis) : EnvPart
{
    public override string Render(IRunValues values) => values.ConnectionString(Redis);

    public override string Publish() => $"{{{Redis.Name}.connectionString}}";
}

/// <summary>Aspire.Hosting.Redis's connection-string expression: <c>{host}:{port},password={pw}</c>.</summary>
public static class RedisConnectionString
{
    public static EnvValue Render(RedisResource redis) => EnvValue.Of(
        new EndpointPart(redis, "tcp", EndpointProperty.Host),
        new LiteralPart(":"),
        new EndpointPart(redis, "tcp", EndpointProperty.Port),
        new LiteralPart(",password="),
        new ParameterPart(redis.Password));
}
