using CreditBank.Accounts.Claims;
using CreditBank.Accounts.Data;
using CreditBank.Accounts.Domain;
using CreditBank.Accounts.Validation;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.Persistence;
using CreditBank.PersonalData;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using V1 = CreditBank.Contracts.Accounts.V1;

namespace CreditBank.Accounts.Grpc;

/// <summary>
/// creditbank.accounts.v1.AccountsService. Learners see only the account they claimed (or look up their own document);
/// reviewers and administrators see any; to everyone else an account that is not theirs does not exist.
/// </summary>
/// <remarks>
/// The database is leased from its pool on first use (<paramref name="database"/>): a <c>GetAccount</c> answered from
/// the cache never touches it, and leasing and returning a pooled context was ~5% of a warm read (docs/performance.md).
/// </remarks>
internal sealed class AccountsGrpcService(Lazy<AccountsDb> database, DocumentProtector documents, IAccountSummaryCache cache, AccountClaim claim)
    : V1.AccountsService.AccountsServiceBase
{
    private const string Me = "me";

    private AccountsDb Db => database.Value;

    [Authorize(Policy = Scopes.AccountsRead)]
    public override async Task<V1.LookupAccountResponse> LookupAccount(V1.LookupAccountRequest request, ServerCallContext context)
    {
        var hash = documents.Hash(AccountValidation.Document(request.DocumentType, request.DocumentNumber, "The account cannot be looked up"));
        var caller = Caller.From(context);
        var account = caller.Is(Roles.Learner) && caller.DocumentHash != hash
            ? null
            : await Db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.DocumentHash == hash, context.CancellationToken);
        return new V1.LookupAccountResponse
        {
            Account = ToContract(account ?? throw Problems.NotFound("ACCOUNT_NOT_FOUND",
                "No learner account (学习账户) is held for that document; one opens when a first outcome is recognised.")),
        };
    }

    [Authorize(Policy = Scopes.AccountsRead)]
    public override async Task<V1.GetAccountResponse> GetAccount(V1.GetAccountRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var ct = context.CancellationToken;
        var id = await ResolveAsync(request.AccountId, caller, ct);
        var lookup = await cache.GetAsync(id);
        if (lookup.Hit is { } cached)
        {
            return MayRead(caller, cached.ClaimedBy) ? cached.Summary : throw NotFound(id);
        }

        // One row: the account keeps its balances with every append, so no read sums its ledger.
        var account = await FindAsync(id, caller, ct);
        var holdings = account.Holdings;
        var response = new V1.GetAccountResponse
        {
            Account = ToContract(account),
            TotalCredits = (double)holdings.Banked,
            ConvertedCredits = (double)decimal.Round(holdings.Converted, 2),
            LedgerEntryCount = account.Version,
            Balances = { holdings.Balances.Select(b => new V1.Balance { OutcomeKind = b.OutcomeKind, Credits = (double)b.Credits }) },
        };
        await cache.SetAsync(id, new CachedAccountSummary(response, account.ClaimedBy), lookup);
        return response;
    }

    [Authorize(Policy = Scopes.AccountsRead)]
    public override async Task<V1.ListLedgerEntriesResponse> ListLedgerEntries(V1.ListLedgerEntriesRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var ct = context.CancellationToken;
        var id = await ResolveAsync(request.AccountId, caller, ct);
        var size = PageToken.Size(request.PageSize);
        var after = PageToken.Decode(request.PageToken, $"ledger:{id:N}");
        await FindAsync(id, caller, ct);
        var entries = await Db.LedgerEntries.AsNoTracking()
            .Where(l => l.AccountId == id && l.Sequence > after)
            .OrderBy(l => l.Sequence)
            .Take(size + 1)
            .ToListAsync(ct);
        var response = new V1.ListLedgerEntriesResponse { Entries = { entries.Take(size).Select(ToContract) } };
        if (entries.Count > size)
        {
            response.NextPageToken = PageToken.Encode($"ledger:{id:N}", entries[size - 1].Sequence);
        }

        return response;
    }

    [Authorize(Policy = Scopes.AccountsRead)]
    public override async Task<V1.ClaimAccountResponse> ClaimAccount(V1.ClaimAccountRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        if (!caller.Is(Roles.Learner) || caller.DocumentHash is null)
        {
            throw Problems.PermissionDenied("LEARNERS_ONLY", "Only a signed-in, verified learner (实名认证的学习者) claims an account, their own.");
        }

        var hash = documents.Hash(AccountValidation.Document(request.DocumentType, request.DocumentNumber, "The account cannot be claimed"));
        if (hash != caller.DocumentHash)
        {
            throw Problems.PermissionDenied("NOT_YOUR_DOCUMENT",
                "That document is not the one you were verified with; you can claim only your own account.");
        }

        var account = await claim.ClaimAsync(hash, caller.Subject, caller.Actor, context.CancellationToken);
        return new V1.ClaimAccountResponse { Account = ToContract(account) };
    }

    /// <summary>"me" → the caller's claimed account; otherwise the id as given.</summary>
    /// <remarks>A <see cref="ValueTask{TResult}"/>: an account id needs no database, and no task to allocate.</remarks>
    private ValueTask<Guid> ResolveAsync(string accountId, Caller caller, CancellationToken ct)
    {
        return AccountValidation.AccountId(accountId, Me) is { } id
            ? ValueTask.FromResult(id)
            : new ValueTask<Guid>(ClaimedByAsync(caller, ct));
    }

    private async Task<Guid> ClaimedByAsync(Caller caller, CancellationToken ct)
    {
        var mine = await Db.Accounts.AsNoTracking().Where(a => a.ClaimedBy == caller.Subject && caller.Role == Roles.Learner)
            .Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
        return mine ?? throw Problems.NotFound("ACCOUNT_NOT_FOUND",
            "You have no claimed account yet: claim yours with POST /v1/accounts:claim (认领学习账户).");
    }

    private async Task<Account> FindAsync(Guid id, Caller caller, CancellationToken ct)
    {
        var account = await Db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        return account is not null && MayRead(caller, account.ClaimedBy) ? account : throw NotFound(id);
    }

    private static bool MayRead(Caller caller, string? claimedBy) => caller.Role switch
    {
        Roles.Learner => claimedBy is not null && claimedBy == caller.Subject,
        Roles.Reviewer or Roles.Admin => true,
        _ => false,
    };

    private static RpcException NotFound(Guid id) => Problems.NotFound("ACCOUNT_NOT_FOUND", $"No learner account (学习账户) {id} exists.");

    private static V1.Account ToContract(Account account) => new()
    {
        AccountId = account.Id.ToString(),
        DocumentType = (V1.DocumentType)(int)account.DocumentType,
        DocumentMasked = account.DocumentMasked,
        Name = account.Name,
        OpenedAt = Timestamp.FromDateTimeOffset(account.OpenedAt),
        Claimed = account.ClaimedBy is not null,
    };

    private static V1.LedgerEntry ToContract(LedgerEntry entry) => new()
    {
        EntryId = entry.Id.ToString(),
        Sequence = entry.Sequence,
        Kind = (V1.LedgerEntryKind)(int)entry.Kind,
        Credits = (double)entry.Credits,
        OutcomeId = entry.OutcomeId.ToString(),
        OutcomeKind = entry.OutcomeKind,
        Description = entry.Description,
        Actor = entry.Actor,
        PostedAt = Timestamp.FromDateTimeOffset(entry.PostedAt),
    };
}
