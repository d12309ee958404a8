using Zk0.Federation.Security;

namespace Zk0.SuperNode.Extensions;

/// <summary>The exceptions <see cref="Extensions.AddSuperNode"/> throws for settings an operator must fix; their message is the one line to print.</summary>
public static class SettingsProblem
{
    public static bool Is(Exception error) => error is InsecureTransportException or ServerTrustException or NodeKeyException or InvalidOperationException;
}
