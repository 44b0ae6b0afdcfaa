using CreditBank.Credentials;
using CreditBank.Grpc;
using CreditBank.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddCredentials().AddBus();
var app = builder.Build();
app.MapServiceDefaults().MapCredentials().MapBus();
app.Run();
