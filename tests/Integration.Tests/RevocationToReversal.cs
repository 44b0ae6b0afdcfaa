using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Integration.Tests;

/// <summary>Revocation through RabbitMQ into PostgreSQL: the deposit stays, a reversal follows, the balance drops — once.</summary>
public sealed class RevocationToReversal(DistributedBankHost bank)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_revoked_outcome_is_reversed_in_the_learners_ledger_once_however_often_it_is_revoked()
    {
        var number = Requests.ResidentId(211);
        var answer = await bank.Assessor.SubmitOutcomeAsync(Requests.Certificate(documentNumber: number, level: SkillLevel.Intermediate), cancellationToken: _ct);
        await bank.WaitForCreditsAsync(number, 1);
        var revoke = new RevokeOutcomeRequest
        {
            OutcomeId = answer.OutcomeId, InstitutionCode = Requests.TrustedAssessor, Reason = RevocationReason.CertificateWithdrawn, Comment = "证书已撤销",
        };

        await bank.Assessor.RevokeOutcomeAsync(revoke, cancellationToken: _ct);
        var again = await bank.Assessor.RevokeOutcomeAsync(revoke, cancellationToken: _ct);
        var account = await bank.WaitForCreditsAsync(number, 2);
        await Task.Delay(1000, _ct);
        var ledger = await bank.Learners.ListLedgerEntriesAsync(new() { AccountId = account.Account.AccountId }, cancellationToken: _ct);

        Assert.False(again.RevokedNow);
        Assert.Equal(0, account.TotalCredits);
        Assert.Equal([LedgerEntryKind.Deposit, LedgerEntryKind.Reversal], ledger.Entries.Select(e => e.Kind));
        Assert.Equal([4.0, -4.0], ledger.Entries.Select(e => e.Credits));
    }
}
