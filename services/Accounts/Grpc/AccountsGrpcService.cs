using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Grpc;
using CreditBank.PersonalData;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using V1 = CreditBank.Contracts.Accounts.V1;

namespace CreditBank.Accounts.Grpc;

/// <summary>creditbank.accounts.v1.AccountsService: learner accounts and their ledger, read side.</summary>
internal sealed class AccountsGrpcService(AccountsDb db, DocumentProtector documents, IAccountSummaryCache cache)
    : V1.AccountsService.AccountsServiceBase
{
    public override async Task<V1.LookupAccountResponse> LookupAccount(V1.LookupAccountRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        IdentityDocument? document = null;
        if (request.DocumentType == V1.DocumentType.Unspecified)
        {
            violations.Add("document_type",
                "The document type (证件类型) is required: RESIDENT_ID_CARD, PASSPORT or HMT_RESIDENCE_PERMIT.", "REQUIRED_FIELD");
        }
        else if (!IdentityDocument.TryParse((DocumentType)(int)request.DocumentType, request.DocumentNumber, out document, out var problem))
        {
            violations.Add("document_number", problem!, "INVALID_DOCUMENT_NUMBER");
        }

        violations.ThrowIfAny("The account cannot be looked up");
        var hash = documents.Hash(document!);
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.DocumentHash == hash, context.CancellationToken)
            ?? throw Problems.NotFound("ACCOUNT_NOT_FOUND",
                "No learner account (学习账户) is held for that document; one opens when a first outcome is recognised.");
        return new V1.LookupAccountResponse { Account = ToContract(account) };
    }

    public override async Task<V1.GetAccountResponse> GetAccount(V1.GetAccountRequest request, ServerCallContext context)
    {
        var id = ParseAccountId(request.AccountId);
        if (await cache.GetAsync(id) is { } cached)
        {
            return cached;
        }

        var ct = context.CancellationToken;
        var account = await FindAsync(id, ct);
        var sums = await db.LedgerEntries.AsNoTracking()
            .Where(l => l.AccountId == id)
            .GroupBy(l => l.OutcomeKind)
            .Select(g => new { Kind = g.Key, Credits = g.Sum(l => l.Credits) })
            .ToListAsync(ct);
        var summary = AccountSummary.Derive(account, sums.Select(s => (s.Kind, s.Credits)));
        var response = new V1.GetAccountResponse
        {
            Account = ToContract(account),
            TotalCredits = (double)summary.TotalCredits,
            LedgerEntryCount = summary.LedgerEntryCount,
            Balances = { summary.Balances.Select(b => new V1.Balance { OutcomeKind = (V1.OutcomeKind)(int)b.OutcomeKind, Credits = (double)b.Credits }) },
        };
        await cache.SetAsync(id, response);
        return response;
    }

    public override async Task<V1.ListLedgerEntriesResponse> ListLedgerEntries(V1.ListLedgerEntriesRequest request, ServerCallContext context)
    {
        var id = ParseAccountId(request.AccountId);
        var size = PageToken.Size(request.PageSize);
        var after = PageToken.Decode(request.PageToken, $"ledger:{id:N}");
        var ct = context.CancellationToken;
        await FindAsync(id, ct);
        var entries = await db.LedgerEntries.AsNoTracking()
            .Where(l => l.AccountId == id && l.Sequence > after)
            .OrderBy(l => l.Sequence)
            .Take(size + 1)
            .ToListAsync(ct);
        var response = new V1.ListLedgerEntriesResponse
        {
            Entries = { entries.Take(size).Select(ToContract) },
        };
        if (entries.Count > size)
        {
            response.NextPageToken = PageToken.Encode($"ledger:{id:N}", entries[size - 1].Sequence);
        }

        return response;
    }

    private async Task<Account> FindAsync(Guid id, CancellationToken ct) =>
        await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct)
        ?? throw Problems.NotFound("ACCOUNT_NOT_FOUND", $"No learner account (学习账户) {id} exists.");

    private static Guid ParseAccountId(string value) => Guid.TryParse(value, out var id)
        ? id
        : throw Problems.InvalidArgument("INVALID_ACCOUNT_ID", "account_id is not an account id.",
            [new() { Field = "account_id", Description = "Use the account_id LookupAccount returned (a UUID).", Reason = "INVALID_ACCOUNT_ID" }]);

    private static V1.Account ToContract(Account account) => new()
    {
        AccountId = account.Id.ToString(),
        DocumentType = (V1.DocumentType)(int)account.DocumentType,
        DocumentMasked = account.DocumentMasked,
        Name = account.Name,
        OpenedAt = Timestamp.FromDateTimeOffset(account.OpenedAt),
    };

    private static V1.LedgerEntry ToContract(LedgerEntry entry) => new()
    {
        EntryId = entry.Id.ToString(),
        Sequence = entry.Sequence,
        Kind = (V1.LedgerEntryKind)(int)entry.Kind,
        Credits = (double)entry.Credits,
        OutcomeId = entry.OutcomeId.ToString(),
        OutcomeKind = (V1.OutcomeKind)(int)entry.OutcomeKind,
        Description = entry.Description,
        Actor = entry.Actor,
        PostedAt = Timestamp.FromDateTimeOffset(entry.PostedAt),
    };
}
