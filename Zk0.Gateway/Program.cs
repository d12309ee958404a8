using Zk0.Gateway.Authentication;
using Zk0.Gateway.FederationPage;
using Zk0.Gateway.Routing;
using Zk0.Gateway.Tls;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayAuth();
builder.AddFederationRoutes();
builder.AddFederationPage();
builder.AddGatewayTls();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseGatewayAuth();
app.MapReverseProxy();
app.MapFederationPage();

app.Run();
