namespace Zk0.Tests.SuperLink.BadInput;

/// <summary>The catalogue's classes share one run alongside (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class BadInputCollection : ICollectionFixture<RunAlongside>
{
    public const string Name = "bad input";
}
