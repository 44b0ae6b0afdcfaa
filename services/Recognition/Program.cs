using CreditBank.Grpc;
using CreditBank.Messaging;
using CreditBank.Recognition;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddRecognition().AddBus();
var app = builder.Build();
app.MapServiceDefaults().MapRecognition().MapBus();
app.Run();
