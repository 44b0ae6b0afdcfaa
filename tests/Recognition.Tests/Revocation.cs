using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Recognition.V1;
using Grpc.Core;

namespace CreditBank.Recognition.Tests;

/// <summary>Revocation (撤销认定) across both services in one process: the ledger reverses, the balance drops.</summary>
public sealed class Revocation(RecognitionAndAccountsHost bank) : IClassFixture<RecognitionAndAccountsHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Revoking_a_recognised_certificate_appends_a_reversal_and_the_balance_drops()
    {
        var number = Requests.ResidentId(301);
        await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: number, credits: 3), cancellationToken: _ct);
        var certificate = await bank.Institutions.SubmitOutcomeAsync(Requests.Certificate(documentNumber: number, level: SkillLevel.Advanced), cancellationToken: _ct);
        var before = await bank.WaitForLedgerAsync(number, 2, _ct);
        Assert.Equal(9, before.TotalCredits);

        var revoked = await bank.Institutions.RevokeOutcomeAsync(new RevokeOutcomeRequest
        {
            OutcomeId = certificate.OutcomeId, InstitutionCode = Requests.TrustedAssessor,
            Reason = RevocationReason.CertificateWithdrawn, Comment = "证书被发证机构撤销",
        }, cancellationToken: _ct);
        var after = await bank.WaitForLedgerAsync(number, 3, _ct);
        var ledger = await bank.Learners.ListLedgerEntriesAsync(new() { AccountId = after.Account.AccountId }, cancellationToken: _ct);

        Assert.True(revoked.RevokedNow);
        Assert.Equal(OutcomeStatus.Revoked, revoked.Outcome.Status);
        Assert.Equal("CERTIFICATE_WITHDRAWN", revoked.Outcome.StatusReasonCode);
        Assert.Equal("institution:" + Requests.TrustedAssessor, revoked.Outcome.RevokedBy);
        Assert.Equal(3, after.TotalCredits);
        Assert.Equal([LedgerEntryKind.Deposit, LedgerEntryKind.Deposit, LedgerEntryKind.Reversal], ledger.Entries.Select(e => e.Kind));
        var reversal = ledger.Entries[2];
        Assert.Equal(-6, reversal.Credits);
        Assert.Equal(certificate.OutcomeId, reversal.OutcomeId);
        Assert.Equal(6, ledger.Entries.Single(e => e.OutcomeId == certificate.OutcomeId && e.Kind == LedgerEntryKind.Deposit).Credits);
    }

    [Fact]
    public async Task Revoking_twice_changes_nothing_the_second_time()
    {
        var number = Requests.ResidentId(302);
        var answer = await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: number, credits: 2), cancellationToken: _ct);
        await bank.WaitForLedgerAsync(number, 1, _ct);
        var request = new RevokeOutcomeRequest { OutcomeId = answer.OutcomeId, Admin = "admin.zhou", Reason = RevocationReason.Fraud, Comment = "成绩单伪造" };

        var first = await bank.Institutions.RevokeOutcomeAsync(request, cancellationToken: _ct);
        var second = await bank.Institutions.RevokeOutcomeAsync(request, cancellationToken: _ct);
        var account = await bank.WaitForLedgerAsync(number, 2, _ct);
        await Task.Delay(800, _ct);
        account = await bank.Learners.GetAccountAsync(new() { AccountId = account.Account.AccountId }, cancellationToken: _ct);

        Assert.True(first.RevokedNow);
        Assert.False(second.RevokedNow);
        Assert.Equal(bank.Callers.AdminActor, second.Outcome.RevokedBy);
        Assert.Equal(2, account.LedgerEntryCount);
        Assert.Equal(0, account.TotalCredits);
    }

    [Fact]
    public async Task Another_issuer_cannot_revoke_an_outcome_and_is_told_it_does_not_exist()
    {
        var answer = await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: Requests.ResidentId(303)), cancellationToken: _ct);

        var refused = await Assert.ThrowsAsync<RpcException>(() => bank.Institutions.RevokeOutcomeAsync(new RevokeOutcomeRequest
        {
            OutcomeId = answer.OutcomeId, InstitutionCode = Requests.TrustedAssessor, Reason = RevocationReason.Fraud, Comment = "x",
        }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.Equal("OUTCOME_NOT_FOUND", refused.ErrorInfo()?.Reason);
    }

    [Fact]
    public async Task A_revocation_without_reason_or_comment_is_refused_naming_both_fields()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => bank.Institutions.RevokeOutcomeAsync(new RevokeOutcomeRequest
        {
            OutcomeId = Guid.NewGuid().ToString(), Admin = "admin.zhou",
        }, cancellationToken: _ct).ResponseAsync);

        Assert.Equal(["reason", "comment"], refused.FieldViolations().Select(v => v.Field));
    }

    [Fact]
    public async Task An_outcome_recognised_by_a_reviewer_is_banked_in_the_learners_account()
    {
        var number = Requests.ResidentId(304);
        var pending = await bank.Institutions.SubmitOutcomeAsync(Requests.Certificate(documentNumber: number, institution: Requests.UntrustedTrainer), cancellationToken: _ct);
        var outcome = (await bank.Institutions.GetOutcomeAsync(new() { OutcomeId = pending.OutcomeId }, cancellationToken: _ct)).Outcome;
        await bank.Reviewers.ClaimReviewTaskAsync(new() { WorkstationCode = outcome.WorkstationCode, OutcomeId = pending.OutcomeId, Reviewer = "li.wei" }, cancellationToken: _ct);

        await bank.Reviewers.RecogniseOutcomeAsync(new RecogniseOutcomeRequest
        {
            WorkstationCode = outcome.WorkstationCode, OutcomeId = pending.OutcomeId, Reviewer = "li.wei", UnitCode = "1X-WEB-2", Credits = 3.5,
        }, cancellationToken: _ct);
        var account = await bank.WaitForLedgerAsync(number, 1, _ct);

        Assert.Equal(3.5, account.TotalCredits);
    }

    [Fact]
    public async Task A_batch_is_banked_in_learners_accounts_through_one_event_per_chunk()
    {
        var numbers = Enumerable.Range(0, 5).Select(i => Requests.ResidentId(310 + i)).ToList();
        var call = bank.Batches.UploadBatch(cancellationToken: _ct);
        await call.RequestStream.WriteAsync(new() { Header = new() { RequestId = Guid.NewGuid().ToString(), InstitutionCode = Requests.TrustedCollege } }, _ct);
        foreach (var line in numbers.SelectMany(n => new[] { BatchLines.Course(n, "高等数学", 4), BatchLines.Course(n, "大学英语", 2) }))
        {
            await call.RequestStream.WriteAsync(new() { Line = line }, _ct);
        }

        await call.RequestStream.CompleteAsync();
        var answer = await call;
        var accounts = await Task.WhenAll(numbers.Select(n => bank.WaitForLedgerAsync(n, 2, _ct)));

        Assert.Equal(10, answer.Batch.Recognised);
        Assert.All(accounts, a => Assert.Equal(6, a.TotalCredits));
    }
}
