using System.Net;

namespace Zk0.Gateway.FederationPage;

/// <summary>The sign-in form shown instead of the page to a browser without the operator credential.</summary>
internal static class SignInForm
{
    public static IResult Serve(HttpContext http, string? error)
    {
        var html = PageAssets.Text(PageAssets.SignIn)!
            .Replace("{{error}}", error is null ? "" : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>", StringComparison.Ordinal);
        return PageAssets.Serve(http, PageAssets.SignIn, html, error is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);
    }
}
