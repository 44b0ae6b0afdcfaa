using CreditBank.Grpc;
using CreditBank.Identity;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddIdentityProvider();
var app = builder.Build();
app.MapServiceDefaults().MapIdentityProvider();
app.Run();
