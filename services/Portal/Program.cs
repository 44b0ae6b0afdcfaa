using CreditBank.Grpc;
using CreditBank.Portal;

// The portal as its own process (distributed topology): the services and the identity service are reached over the
// network at the addresses of Portal:* (appsettings.json).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddPortal();
var app = builder.Build();
app.MapServiceDefaults().MapPortal();
app.Run();
