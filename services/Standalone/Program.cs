using CreditBank.Accounts;
using CreditBank.Conversion;
using CreditBank.Credentials;
using CreditBank.Grpc;
using CreditBank.Identity;
using CreditBank.Messaging;
using CreditBank.Portal;
using CreditBank.Recognition;
using CreditBank.Standalone;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddIdentityProvider().AddRecognition().AddAccounts().AddConversion().AddCredentials().AddPortal().AddBus().AddDemoData();
var app = builder.Build();
app.MapServiceDefaults().MapPortal().MapIdentityProvider().MapRecognition().MapAccounts().MapConversion().MapCredentials().MapBus();
app.Run();
