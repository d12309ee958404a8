namespace Zk0.AppHost.Model;

/// <summary>
/// A Redis-protocol server, modelled like Aspire's <c>AddRedis</c>: endpoint "tcp" with scheme
/// "redis", target port 6379, and a generated password parameter <c>{name}-password</c>.
/// </summary>
public sealed class RedisResource : Resource
{
    public const int ContainerPort = 6379;

    public RedisResource(string name, ParameterResource password) : base(name)
    {
        Password = password;
        Endpoints.Add(new EndpointSpec("tcp", "redis", "tcp"));
    }

    public ParameterResource Password { get; }
}
