using System.Collections.Concurrent;

namespace Zk0.Gateway.FederationPage;

/// <summary>The page's HTML, CSS and script, embedded in the gateway's assembly (no CDN: the page works offline).</summary>
internal static class PageAssets
{
    public const string Index = "index.html";
    public const string SignIn = "signin.html";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private static readonly ConcurrentDictionary<string, string?> Texts = new(StringComparer.Ordinal);

    /// <summary>The asset's text, or null when there is no asset of that name.</summary>
    public static string? Text(string name) => Texts.GetOrAdd(name, static name =>
    {
        using var stream = typeof(PageAssets).Assembly.GetManifestResourceStream($"FederationPage.{name}");
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string ContentType(string name) => ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");

    public static IResult Serve(HttpContext http, string name, string text, int statusCode = StatusCodes.Status200OK)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        // Everything the page needs comes from here; nothing may load from elsewhere or frame it.
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Text(text, ContentType(name), statusCode: statusCode);
    }
}
