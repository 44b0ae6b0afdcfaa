using CreditBank.Accounts.Data;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Type.V1;
using Grpc.Core;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using IntegrationEvents = CreditBank.Contracts.Events;

namespace CreditBank.Accounts.Tests;

public sealed class BankingOutcomes(AccountsHost bank) : IClassFixture<AccountsHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_recognised_outcome_opens_the_learners_account_and_deposits_its_credits()
    {
        var number = Requests.ResidentId(101);
        var recognised = bank.Recognised(number, 4m);

        await bank.PublishAsync(AccountsHost.Lone(recognised), _ct);
        var lookup = await bank.WaitForAccountAsync(number, 1, _ct);
        var summary = await bank.Client.GetAccountAsync(new() { AccountId = lookup.Account.AccountId }, cancellationToken: _ct);
        var ledger = await bank.Client.ListLedgerEntriesAsync(new() { AccountId = lookup.Account.AccountId }, cancellationToken: _ct);

        Assert.Equal("张三", lookup.Account.Name);
        Assert.Equal("5002**********" + number[^4..], lookup.Account.DocumentMasked);
        Assert.Equal(4, summary.TotalCredits);
        var entry = Assert.Single(ledger.Entries);
        Assert.Equal(LedgerEntryKind.Deposit, entry.Kind);
        Assert.Equal(4, entry.Credits);
        Assert.Equal(1, entry.Sequence);
        Assert.Equal(recognised.OutcomeId.ToString(), entry.OutcomeId);
        Assert.Equal(AccountsHost.College, entry.Actor);
    }

    [Fact]
    public async Task A_redelivered_outcome_recognised_adds_no_second_ledger_entry()
    {
        var number = Requests.ResidentId(102);
        var outcome = bank.Recognised(number, 3m);
        var recognised = AccountsHost.Lone(outcome);
        var consumedBefore = bank.Consumed.Count;

        await bank.PublishAsync(recognised, _ct);
        await bank.PublishAsync(recognised, _ct);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => bank.PublishAsync(recognised, _ct)));
        await Eventually.Until(() => Task.FromResult(bank.Consumed.Count), n => n >= consumedBefore + 6, what: "all six deliveries to be consumed");
        var lookup = await bank.WaitForAccountAsync(number, 1, _ct);
        var summary = await bank.Client.GetAccountAsync(new() { AccountId = lookup.Account.AccountId }, cancellationToken: _ct);

        Assert.Equal(1, summary.LedgerEntryCount);
        Assert.Equal(3, summary.TotalCredits);
        // LedgerEntriesPosted leaves through accounts' own outbox, a moment after the entry commits.
        await Eventually.Until(() => Task.FromResult(bank.Posted.Received.Count(p => p.Message.Entries.Any(e => e.OutcomeId == outcome.OutcomeId))), n => n > 0,
            what: "LedgerEntriesPosted");
        await Task.Delay(300, _ct);
        Assert.Single(bank.Posted.Received, p => p.Message.Entries.Any(e => e.OutcomeId == outcome.OutcomeId));
    }

    [Fact]
    public async Task Outcomes_of_one_learner_arriving_together_share_one_account_and_balance_by_kind()
    {
        var number = Requests.ResidentId(103);
        var events = new[]
        {
            bank.Recognised(number, 4m), bank.Recognised(number, 2.5m),
            bank.Recognised(number, 4m, kind: "SKILL_CERTIFICATE"), bank.Recognised(number, 1m),
        };

        await Task.WhenAll(events.Select(e => bank.PublishAsync(AccountsHost.Lone(e), _ct)));
        var lookup = await bank.WaitForAccountAsync(number, 4, _ct);
        var summary = await bank.Client.GetAccountAsync(new() { AccountId = lookup.Account.AccountId }, cancellationToken: _ct);
        var ledger = await bank.Client.ListLedgerEntriesAsync(new() { AccountId = lookup.Account.AccountId }, cancellationToken: _ct);

        Assert.Equal(11.5, summary.TotalCredits);
        Assert.Equal(7.5, summary.Balances.Single(b => b.OutcomeKind == OutcomeKind.Course).Credits);
        Assert.Equal(4, summary.Balances.Single(b => b.OutcomeKind == OutcomeKind.SkillCertificate).Credits);
        Assert.Equal([1L, 2, 3, 4], ledger.Entries.Select(e => e.Sequence));
        await Eventually.Until(() => Task.FromResult(bank.Opened.Received.Count(o => o.Message.Accounts.Any(a => a.AccountId.ToString() == lookup.Account.AccountId))),
            n => n > 0, what: "AccountsOpened");
        await Task.Delay(300, _ct);
        Assert.Single(bank.Opened.Received, o => o.Message.Accounts.Any(a => a.AccountId.ToString() == lookup.Account.AccountId));
    }

    [Fact]
    public async Task An_accounts_balances_are_what_its_ledger_sums_to_after_deposits_a_reversal_and_a_conversion()
    {
        var number = Requests.ResidentId(109);
        var course = bank.Recognised(number, 3m);
        var certificate = bank.Recognised(number, 2.5m, kind: "SKILL_CERTIFICATE");
        await bank.PublishAsync(AccountsHost.Lone(course), _ct);
        await bank.PublishAsync(AccountsHost.Chunk(certificate, bank.Recognised(number, 1.5m), bank.Recognised(number, 4m, kind: "TRAINING_RECORD")), _ct);
        var opened = await bank.WaitForAccountAsync(number, 4, _ct);
        var bus = bank.Host.Services.GetRequiredService<IBus>();
        var now = DateTimeOffset.UtcNow;
        await bus.Publish(new IntegrationEvents.OutcomeRevoked
        {
            EventId = Guid.NewGuid(), OccurredAt = now, Actor = "institution:" + Requests.TrustedCollege, OutcomeId = course.OutcomeId,
            InstitutionCode = Requests.TrustedCollege, Learner = course.Learner, OutcomeKind = "COURSE", Title = course.Title,
            WasRecognised = true, Credits = 3m, ReasonCode = "ISSUED_IN_ERROR", Reason = "误发",
        }, _ct);
        await bus.Publish(new IntegrationEvents.CreditsConverted
        {
            EventId = Guid.NewGuid(), OccurredAt = now, Actor = "institution:" + Requests.TrustedCollege, ApplicationId = Guid.NewGuid(),
            LearnerDocumentType = "RESIDENT_ID_CARD", LearnerDocumentHash = course.Learner.DocumentHash, ProgrammeCode = "510201",
            InstitutionCode = Requests.TrustedCollege,
            Items = [new IntegrationEvents.ConvertedItem(1, "rule-1", 1, [new(certificate.OutcomeId, "SKILL_CERTIFICATE")], ["NET101"], 2m)],
        }, _ct);

        var account = await bank.WaitForAccountAsync(number, 6, _ct);
        var ledger = await bank.Client.ListLedgerEntriesAsync(new() { AccountId = opened.Account.AccountId, PageSize = 100 }, cancellationToken: _ct);

        var banked = ledger.Entries.Where(e => e.Kind != LedgerEntryKind.Conversion).ToList();
        Assert.Equal(6, ledger.Entries.Count);
        Assert.Equal(banked.Sum(e => e.Credits), account.TotalCredits, 2);
        Assert.Equal(8, account.TotalCredits, 2);
        Assert.Equal(
            banked.GroupBy(e => e.OutcomeKind).Where(g => g.Sum(e => e.Credits) != 0).OrderBy(g => g.Key).Select(g => (g.Key, Math.Round(g.Sum(e => e.Credits), 2))),
            account.Balances.Select(b => (b.OutcomeKind, b.Credits)));
        Assert.Equal([(OutcomeKind.Course, 1.5), (OutcomeKind.SkillCertificate, 2.5), (OutcomeKind.TrainingRecord, 4)], account.Balances.Select(b => (b.OutcomeKind, b.Credits)));
        Assert.Equal(2, account.ConvertedCredits, 2);
    }

    [Fact]
    public async Task A_batch_chunk_is_banked_at_once_and_announced_by_one_LedgerEntriesPosted()
    {
        var known = Requests.ResidentId(107);
        var newcomer = Requests.ResidentId(108);
        await bank.PublishAsync(AccountsHost.Lone(bank.Recognised(known, 2m)), _ct);
        await bank.WaitForAccountAsync(known, 1, _ct);
        var chunk = AccountsHost.Chunk(bank.Recognised(known, 3m), bank.Recognised(newcomer, 4m), bank.Recognised(newcomer, 1.5m, kind: "SKILL_CERTIFICATE"));
        var ids = chunk.Outcomes.Select(o => o.OutcomeId).ToHashSet();

        await bank.PublishAsync(chunk, _ct);
        var existing = await bank.WaitForAccountAsync(known, 2, _ct);
        var opened = await bank.WaitForAccountAsync(newcomer, 2, _ct);
        await Eventually.Until(() => Task.FromResult(bank.Posted.Received.Count(p => p.Message.Entries.Any(e => ids.Contains(e.OutcomeId)))), n => n > 0,
            what: "LedgerEntriesPosted");
        await Task.Delay(300, _ct);

        Assert.Equal(5, existing.TotalCredits);
        Assert.Equal(5.5, opened.TotalCredits);
        var posted = Assert.Single(bank.Posted.Received, p => p.Message.Entries.Any(e => ids.Contains(e.OutcomeId))).Message;
        Assert.Equal(chunk.Outcomes.Select(o => o.OutcomeId), posted.Entries.Select(e => e.OutcomeId));
        Assert.Equal([2L, 1, 2], posted.Entries.Select(e => e.Sequence));
        Assert.Equal(["DEPOSIT", "DEPOSIT", "DEPOSIT"], posted.Entries.Select(e => e.EntryKind));
        Assert.Equal("SKILL_CERTIFICATE", posted.Entries[2].OutcomeKind);
        Assert.Equal([3m, 4m, 1.5m], posted.Entries.Select(e => e.Credits));
        Assert.Equal(existing.Account.AccountId, posted.Entries[0].AccountId.ToString());
    }

    [Fact]
    public async Task Outcomes_submitted_together_are_deposited_once_and_announced_in_one_event_per_actor()
    {
        var learner = Requests.ResidentId(110);
        var college = AccountsHost.Submitted("institution:" + Requests.TrustedCollege, bank.Recognised(learner, 2m), bank.Recognised(learner, 1m));
        var assessor = AccountsHost.Submitted("institution:" + Requests.TrustedAssessor, bank.Recognised(learner, 1.5m, kind: "SKILL_CERTIFICATE"));
        var ids = college.Outcomes.Concat(assessor.Outcomes).Select(o => o.OutcomeId).ToHashSet();

        await Task.WhenAll(bank.PublishAsync(college, _ct), bank.PublishAsync(assessor, _ct), bank.PublishAsync(college, _ct));
        var account = await bank.WaitForAccountAsync(learner, 3, _ct);
        await Eventually.Until(() => Task.FromResult(bank.Posted.Received.Where(p => p.Message.Entries.Any(e => ids.Contains(e.OutcomeId)))
            .Sum(p => p.Message.Entries.Count)), n => n >= 3, what: "LedgerEntriesPosted for all three deposits");
        await Task.Delay(300, _ct);

        Assert.Equal(3, account.LedgerEntryCount);
        Assert.Equal(4.5, account.TotalCredits);
        var posted = bank.Posted.Received.Select(p => p.Message).Where(p => p.Entries.Any(e => ids.Contains(e.OutcomeId))).ToList();
        Assert.Equal(2, posted.Count);
        Assert.Equal(college.Outcomes.Select(o => o.OutcomeId), Assert.Single(posted, p => p.Actor == college.Actor).Entries.Select(e => e.OutcomeId));
        Assert.Equal(assessor.Outcomes.Select(o => o.OutcomeId), Assert.Single(posted, p => p.Actor == assessor.Actor).Entries.Select(e => e.OutcomeId));
    }

    [Fact]
    public async Task The_learners_a_chunk_opens_accounts_for_are_announced_in_one_AccountsOpened()
    {
        var known = Requests.ResidentId(111);
        await bank.PublishAsync(AccountsHost.Lone(bank.Recognised(known, 2m)), _ct);
        await bank.WaitForAccountAsync(known, 1, _ct);
        var newcomers = new[] { Requests.ResidentId(112), Requests.ResidentId(113), Requests.ResidentId(114) };
        var chunk = AccountsHost.Chunk([bank.Recognised(known, 1m), .. newcomers.SelectMany(n => new[] { bank.Recognised(n, 3m), bank.Recognised(n, 1m) })]);
        var hashes = chunk.Outcomes.Skip(1).Select(o => o.Learner.DocumentHash).ToHashSet();

        await bank.PublishAsync(chunk, _ct);
        var accounts = new List<string>();
        foreach (var newcomer in newcomers)
        {
            accounts.Add((await bank.WaitForAccountAsync(newcomer, 2, _ct)).Account.AccountId);
        }

        await Eventually.Until(() => Task.FromResult(bank.Opened.Received.Count(o => o.Message.Accounts.Any(a => hashes.Contains(a.DocumentHash)))),
            n => n > 0, what: "AccountsOpened");
        await Task.Delay(300, _ct);

        var opened = Assert.Single(bank.Opened.Received, o => o.Message.Accounts.Any(a => hashes.Contains(a.DocumentHash))).Message;
        Assert.Equal(chunk.Actor, opened.Actor);
        Assert.Equal(accounts.Order(), opened.Accounts.Select(a => a.AccountId.ToString()).Order());
        Assert.All(opened.Accounts, a => Assert.Equal("RESIDENT_ID_CARD", a.DocumentType));
        Assert.Equal(hashes.Order(), opened.Accounts.Select(a => a.DocumentHash).Order());
    }

    [Fact]
    public async Task The_ledger_is_append_only()
    {
        var number = Requests.ResidentId(104);
        await bank.PublishAsync(AccountsHost.Lone(bank.Recognised(number, 2m)), _ct);
        var lookup = await bank.WaitForAccountAsync(number, 1, _ct);

        await using var scope = bank.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDb>();
        var entry = await db.LedgerEntries.FirstAsync(l => l.AccountId == Guid.Parse(lookup.Account.AccountId), _ct);
        db.Entry(entry).Property(e => e.Credits).CurrentValue = 20m;
        var edit = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(_ct));
        db.ChangeTracker.Clear();
        db.LedgerEntries.Remove(entry);
        var delete = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(_ct));

        Assert.Contains("append-only", edit.Message);
        Assert.Contains("append-only", delete.Message);
    }

    [Fact]
    public async Task Looking_up_a_learner_without_an_account_is_not_found_and_a_bad_document_is_invalid()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() => bank.Client.LookupAccountAsync(
            new() { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = Requests.ResidentId(999) }, cancellationToken: _ct).ResponseAsync);
        var bad = await Assert.ThrowsAsync<RpcException>(() => bank.Client.LookupAccountAsync(
            new() { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = "500228200501011230" }, cancellationToken: _ct).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => bank.Client.GetAccountAsync(
            new() { AccountId = Guid.NewGuid().ToString() }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal("ACCOUNT_NOT_FOUND", missing.ErrorInfo()?.Reason);
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Equal("document_number", Assert.Single(bad.FieldViolations()).Field);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_ledger_pages_in_order_with_opaque_tokens()
    {
        var number = Requests.ResidentId(105);
        for (var i = 1; i <= 5; i++)
        {
            await bank.PublishAsync(AccountsHost.Lone(bank.Recognised(number, i)), _ct);
        }

        var lookup = await bank.WaitForAccountAsync(number, 5, _ct);
        var pages = new List<ListLedgerEntriesResponse>();
        var token = "";
        do
        {
            var page = await bank.Client.ListLedgerEntriesAsync(
                new() { AccountId = lookup.Account.AccountId, PageSize = 2, PageToken = token }, cancellationToken: _ct);
            pages.Add(page);
            token = page.NextPageToken;
        }
        while (token != "");

        Assert.Equal([2, 2, 1], pages.Select(p => p.Entries.Count));
        Assert.Equal([1L, 2, 3, 4, 5], pages.SelectMany(p => p.Entries).Select(e => e.Sequence));
        var forged = await Assert.ThrowsAsync<RpcException>(() => bank.Client.ListLedgerEntriesAsync(
            new() { AccountId = lookup.Account.AccountId, PageToken = "bm90LWEtdG9rZW4" }, cancellationToken: _ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, forged.StatusCode);
        Assert.Equal("page_token", Assert.Single(forged.FieldViolations()).Field);
    }

    [Fact]
    public async Task Rest_routes_show_the_account_balance_and_ledger()
    {
        var number = Requests.ResidentId(106);
        await bank.PublishAsync(AccountsHost.Lone(bank.Recognised(number, 2m)), _ct);
        var lookup = await bank.WaitForAccountAsync(number, 1, _ct);

        var found = await GetAsAdminAsync($"/v1/accounts:lookup?document_type=DOCUMENT_TYPE_RESIDENT_ID_CARD&document_number={number}");
        var account = await GetAsAdminAsync($"/v1/accounts/{lookup.Account.AccountId}");
        var ledger = await GetAsAdminAsync($"/v1/accounts/{lookup.Account.AccountId}/ledger?page_size=10");
        var anonymous = await bank.Host.Rest.GetAsync($"/v1/accounts/{lookup.Account.AccountId}", _ct);

        Assert.Contains(lookup.Account.AccountId, found);
        Assert.DoesNotContain(number, found);
        Assert.Contains("\"totalCredits\":2", account);
        Assert.Contains("LEDGER_ENTRY_KIND_DEPOSIT", ledger);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private async Task<string> GetAsAdminAsync(string path)
    {
        var response = await bank.Host.Rest.SendAsync(new HttpRequestMessage(HttpMethod.Get, path).WithToken(bank.AdminToken), _ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(_ct);
    }
}
