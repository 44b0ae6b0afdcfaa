using CreditBank.Accounts;
using CreditBank.Conversion;
using CreditBank.Grpc;
using CreditBank.Identity;
using CreditBank.Messaging;
using CreditBank.Recognition;
using CreditBank.Standalone;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddIdentityProvider().AddRecognition().AddAccounts().AddConversion().AddBus().AddDemoData();
var app = builder.Build();
app.MapServiceDefaults().MapIdentityProvider().MapRecognition().MapAccounts().MapConversion().MapBus();
app.Run();
