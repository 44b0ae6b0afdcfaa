using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Contracts.Events;
using CreditBank.Messaging;
using CreditBank.PersonalData;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CreditBank.Accounts.Events;

/// <summary>Banks a recognised outcome: opens the learner's account if they have none, and appends a deposit.</summary>
public sealed partial class OutcomeRecognisedConsumer(AccountsDb db, IAccountSummaryCache cache, TimeProvider time,
    ILogger<OutcomeRecognisedConsumer> logger) : IConsumer<OutcomeRecognised>
{
    public async Task Consume(ConsumeContext<OutcomeRecognised> context)
    {
        var recognised = context.Message;
        Account? account = null;
        LedgerEntry? deposit = null;
        var processed = await db.ProcessOnceAsync(context, nameof(OutcomeRecognisedConsumer), async ct =>
        {
            var now = time.GetUtcNow();
            account = await db.Accounts.FirstOrDefaultAsync(a => a.DocumentHash == recognised.Learner.DocumentHash, ct)
                ?? Open(recognised, now);
            deposit = account.Append(LedgerEntryKind.Deposit, recognised.Credits, recognised.OutcomeId, OutcomeKinds.Parse(recognised.OutcomeKind),
                $"存入 · {recognised.Title} · {recognised.InstitutionCode}", recognised.Actor, recognised.EventId, now);
            db.LedgerEntries.Add(deposit);
            db.Enqueue(LedgerEvents.Posted(deposit, recognised.Actor, now));
        });

        if (processed)
        {
            await cache.InvalidateAsync(account!.Id);
            LogDeposited(deposit!.Credits, account.Id, recognised.OutcomeId);
        }
        else
        {
            LogAlreadyBanked(recognised.OutcomeId, context.MessageId);
        }
    }

    private Account Open(OutcomeRecognised recognised, DateTimeOffset now)
    {
        var (account, opened) = Open(recognised.Learner, recognised.Actor, now);
        db.Accounts.Add(account);
        db.Enqueue(opened);
        return account;
    }

    /// <summary>A learner's account (学习账户), opened on their first recognised outcome, and its event; the caller stores both.</summary>
    internal static (Account Account, AccountOpened Opened) Open(LearnerIdentity learner, string actor, DateTimeOffset now)
    {
        var account = new Account
        {
            Id = Guid.CreateVersion7(now),
            DocumentType = ParseDocumentType(learner.DocumentType),
            DocumentHash = learner.DocumentHash,
            DocumentMasked = learner.DocumentMasked,
            DocumentSealed = learner.DocumentSealed,
            Name = learner.Name,
            OpenedAt = now,
            OpenedBy = actor,
        };
        return (account, new AccountOpened
        {
            EventId = Guid.CreateVersion7(now),
            OccurredAt = now,
            Actor = actor,
            AccountId = account.Id,
            DocumentType = learner.DocumentType,
            DocumentHash = learner.DocumentHash,
        });
    }

    private static DocumentType ParseDocumentType(string type) => type switch
    {
        "RESIDENT_ID_CARD" => DocumentType.ResidentIdCard,
        "PASSPORT" => DocumentType.Passport,
        "HMT_RESIDENCE_PERMIT" => DocumentType.HmtResidencePermit,
        _ => throw new InvalidOperationException($"Document type {type} is not one this version of accounts knows."),
    };

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Deposited {Credits} credits to account {AccountId} for outcome {OutcomeId}")]
    private partial void LogDeposited(decimal credits, Guid accountId, Guid outcomeId);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Outcome {OutcomeId} already banked (message {MessageId} seen before); acknowledged")]
    private partial void LogAlreadyBanked(Guid outcomeId, Guid? messageId);
}
