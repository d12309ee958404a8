namespace Zk0.AppHost.Model;

/// <summary>
/// A value supplied at deployment time (Aspire's <c>parameter.v0</c>). In run mode the runner
/// generates it (secret, at least <see cref="GeneratedMinLength"/> alphanumeric characters) or
/// uses <see cref="Default"/>.
/// </summary>
public sealed class ParameterResource(string name, bool secret, string? defaultValue = null) : Resource(name)
{
    public const int GeneratedMinLength = 22;

    public bool Secret { get; } = secret;

    public string? Default { get; } = defaultValue;
}
