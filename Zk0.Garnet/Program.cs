using Zk0.Garnet;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddOptions<GarnetOptions>().BindConfiguration(GarnetOptions.SectionName).ValidateOnStart();
builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<GarnetOptions>, GarnetOptionsValidator>();
builder.Services.AddHostedService<GarnetService>();

builder.Build().Run();
