using CreditBank.Grpc;
using CreditBank.Messaging;
using CreditBank.Accounts;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddAccounts().AddBus();
var app = builder.Build();
app.MapServiceDefaults().MapAccounts().MapBus();
app.Run();
