using CreditBank.Accounts;
using CreditBank.Grpc;
using CreditBank.Messaging;
using CreditBank.Recognition;
using CreditBank.Standalone;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddRecognition().AddAccounts().AddBus().AddDemoData();
var app = builder.Build();
app.MapServiceDefaults().MapRecognition().MapAccounts();
app.Run();
