using Zk0.Gateway;

var builder = WebApplication.CreateBuilder(args);

// Service defaults, node and operator authentication, the YARP routes, the federation page, TLS.
builder.AddGateway();

var app = builder.Build();

app.MapGateway();

app.Run();
