using Zk0.Gateway.Authentication;

namespace Zk0.Gateway.FederationPage;

/// <summary><c>GET /</c>: the federation page, or its sign-in form when an operator token is configured and not presented; <c>GET /federation-page/{asset}</c>: its style and script.</summary>
public static class PageEndpoints
{
    public const string AssetPrefix = "/federation-page";

    public static IEndpointRouteBuilder MapPageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http, OperatorAccess access) => access.Allows(http)
            ? PageAssets.Serve(http, PageAssets.Index, PageAssets.Text(PageAssets.Index)!)
            : SignInForm.Serve(http, error: null));

        // The assets hold no federation data, so the sign-in form can use them too.
        app.MapGet($"{AssetPrefix}/{{asset}}", (string asset, HttpContext http) =>
            asset is PageAssets.Index or PageAssets.SignIn || PageAssets.Text(asset) is not { } text
                ? Results.NotFound()
                : PageAssets.Serve(http, asset, text));
        return app;
    }
}
