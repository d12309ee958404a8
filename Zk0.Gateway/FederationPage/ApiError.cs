namespace Zk0.Gateway.FederationPage;

/// <summary>The body of every error the page's API answers with.</summary>
public sealed record ApiError(string Error);
