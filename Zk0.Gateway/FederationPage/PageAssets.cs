using System.Collections.Frozen;

namespace Zk0.Gateway.FederationPage;

/// <summary>The page's HTML, CSS and script, embedded in the gateway's assembly (no CDN: the page works offline).</summary>
internal static class PageAssets
{
    public const string Index = "index.html";
    public const string SignIn = "signin.html";
    private const string ResourcePrefix = "FederationPage.";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Read once: a lookup by a requested name never adds to it.
    private static readonly FrozenDictionary<string, string> Texts = typeof(PageAssets).Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .ToFrozenDictionary(name => name[ResourcePrefix.Length..], Read, StringComparer.Ordinal);

    /// <summary>The asset's text, or null when there is no asset of that name.</summary>
    public static string? Text(string name) => Texts.GetValueOrDefault(name);

    public static IResult Serve(HttpContext http, string name, string text, int statusCode = StatusCodes.Status200OK)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        // Everything the page needs comes from here; nothing may load from elsewhere or frame it.
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Text(text, ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"), statusCode: statusCode);
    }

    private static string Read(string resourceName)
    {
        using var stream = typeof(PageAssets).Assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
