using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Zk0.Gateway.Authentication;

namespace Zk0.Tests.Gateway.FederationPage;

/// <summary>With an operator token configured, the page and its API ask for it: a bearer header, or the cookie the sign-in form sets.</summary>
public sealed class OperatorSignInTests(SignedInGatewayFixture fixture) : IClassFixture<SignedInGatewayFixture>
{
    private const string Token = SignedInGatewayFixture.OperatorToken;

    private static FormUrlEncodedContent Form(string token) => new([KeyValuePair.Create("token", token)]);

    [Theory]
    [InlineData("api/runs")]
    [InlineData("api/nodes")]
    [InlineData("api/runs/any/events")]
    public async Task TheApiWithoutTheCredentialIsUnauthorizedWithAJsonMessage(string path)
    {
        using var http = fixture.Gateway.Client();

        using var response = await http.GetAsync(path);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("operator credential", error);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task TheApiAnswersTheBearerToken()
    {
        using var http = fixture.Gateway.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        using var response = await http.GetAsync("api/runs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ThePageWithoutTheCredentialIsASignInFormWithoutFederationData()
    {
        using var http = fixture.Gateway.Client();

        using var response = await http.GetAsync("");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<form method=\"post\" action=\"/signin\">", html);
        Assert.Contains("name=\"token\"", html);
        Assert.DoesNotContain("page.js", html);
    }

    [Fact]
    public async Task AWrongTokenGetsTheFormAgainWithAnErrorAndNoCookie()
    {
        using var http = fixture.Gateway.Client();

        using var response = await http.PostAsync("signin", Form("not-the-token"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not the operator token", html);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task TheRightTokenSetsAStrictHttpOnlyCookieThatOpensThePageAndTheApi()
    {
        using var http = fixture.Gateway.Client();

        using var signIn = await http.PostAsync("signin", Form(Token));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single();
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Equal($"{OperatorAccess.CookieName}={Token}", cookie.Split(';')[0]);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain("secure", attributes); // plain http here; over https the cookie is Secure

        using var withCookie = fixture.Gateway.Client();
        withCookie.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        var page = await withCookie.GetStringAsync("");
        using var runs = await withCookie.GetAsync("api/runs");
        Assert.Contains("/federation-page/page.js", page);
        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
    }
}
