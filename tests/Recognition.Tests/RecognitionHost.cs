using CreditBank.Contracts.Events;
using CreditBank.Contracts.Recognition.V1;
using CreditBank.TestSupport;
using Xunit;

namespace CreditBank.Recognition.Tests;

/// <summary>The recognition service alone, on the embedded default, with a probe standing in for its subscribers.</summary>
public sealed class RecognitionHost : IAsyncLifetime
{
    public ServiceHost Host { get; private set; } = null!;

    public RecognitionService.RecognitionServiceClient Client { get; private set; } = null!;

    public EventProbe<OutcomeRecognised> Recognised => (EventProbe<OutcomeRecognised>)Host.Services.GetService(typeof(EventProbe<OutcomeRecognised>))!;

    public EventProbe<OutcomeRejected> Rejected => (EventProbe<OutcomeRejected>)Host.Services.GetService(typeof(EventProbe<OutcomeRejected>))!;

    public async ValueTask InitializeAsync()
    {
        Host = await ServiceHost.StartAsync(b => b.AddRecognition(), a => a.MapRecognition(),
            services: b => b.AddEventProbe<OutcomeRecognised>().AddEventProbe<OutcomeRejected>());
        Client = new RecognitionService.RecognitionServiceClient(Host.Channel);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
