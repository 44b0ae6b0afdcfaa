using CreditBank.Conversion;
using CreditBank.Grpc;
using CreditBank.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddConversion().AddBus();
var app = builder.Build();
app.MapServiceDefaults().MapConversion().MapBus();
app.Run();
