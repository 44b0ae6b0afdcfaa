using CreditBank.Grpc;
using CreditBank.Identity;
using CreditBank.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddIdentityProvider().AddBus();
var app = builder.Build();
app.MapServiceDefaults().MapIdentityProvider().MapBus();
app.Run();
