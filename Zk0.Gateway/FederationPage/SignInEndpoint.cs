using Zk0.Gateway.Authentication;

namespace Zk0.Gateway.FederationPage;

/// <summary>
/// <c>POST /signin</c> (form field <c>token</c>): with the operator token, sets it as the <see cref="OperatorAccess.CookieName"/>
/// cookie (HttpOnly, SameSite=Strict, Secure over https) and redirects to the page; with a wrong one, the form again with an error.
/// </summary>
public static class SignInEndpoint
{
    public const string Path = "/signin";
    public const string TokenField = "token";

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        // The form is read by hand: a form-bound parameter would make the endpoint ask for antiforgery, which the
        // SameSite=Strict cookie makes unnecessary (a cross-site post carries no cookie and a wrong token gains nothing).
        app.MapPost(Path, async (HttpContext http, OperatorAccess access) =>
        {
            if (!access.Required) return Results.Redirect("/");
            var token = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(http.RequestAborted))[TokenField].ToString().Trim() : "";
            if (token.Length == 0 || !access.IsToken(token))
                return SignInForm.Serve(http, "That is not the operator token of this federation. Ask its admin for it.");
            http.Response.Cookies.Append(OperatorAccess.CookieName, token, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                Path = "/",
            });
            return Results.Redirect("/");
        });
        return app;
    }
}
