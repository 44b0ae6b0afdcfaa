using CreditBank.Contracts.Accounts.V1;
using CreditBank.Contracts.Conversion.V1;
using CreditBank.Contracts.Recognition.V1;
using Grpc.Core;
using DocumentType = CreditBank.Contracts.Accounts.V1.DocumentType;

namespace CreditBank.Conversion.Tests;

/// <summary>From a banked outcome to exempted courses and posted conversion entries, across the services.</summary>
public sealed class ConversionStories(StandaloneBankHost bank) : IClassFixture<StandaloneBankHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Vocational_to_academic_a_1X_certificate_exempts_a_university_course_and_the_conversion_is_posted_to_the_ledger()
    {
        var number = Requests.ResidentId(901);
        var learner = await bank.LearnerAsync("learner901", number);
        await bank.Institutions.SubmitOutcomeAsync(WebCertificate(number, SkillLevel.Intermediate), cancellationToken: _ct);

        var evaluation = await bank.EvaluateWhenSeenAsync(learner, "CQU-SE-2025", 1);
        var verdict = Assert.Single(evaluation.Verdicts);
        Assert.True(verdict.Used);
        Assert.Equal("R-WEB-CORE", verdict.RuleId);
        Assert.True(verdict.RuleVersion >= 1);
        Assert.Contains("Web 前端开发", verdict.Explanation);

        var applied = (await bank.Conversion(learner).ApplyForConversionAsync(new() { RequestId = "a-901", ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct)).Application;
        var again = (await bank.Conversion(learner).ApplyForConversionAsync(new() { RequestId = "a-901", ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct)).Application;
        Assert.Equal(applied.ApplicationId, again.ApplicationId);
        Assert.Equal(ApplicationStatus.Submitted, applied.Status);

        var decided = (await bank.ConversionAsInstitution(StandaloneBankHost.University).DecideConversionAsync(new()
        {
            ApplicationId = applied.ApplicationId, Decisions = { new ItemDecisionInput { ItemNumber = 1, Accept = true } },
        }, cancellationToken: _ct)).Application;
        Assert.Equal(ApplicationStatus.Decided, decided.Status);
        Assert.Equal(evaluation.TotalCredits, decided.AcceptedCredits);

        // Accounts banks the certificate on its own time (its own consumer of the same event): claim once it is there.
        await bank.ClaimWhenOpenedAsync(learner, number);
        var account = await Eventually.Until(() => bank.Accounts(learner).GetAccountAsync(new() { AccountId = "me" }, cancellationToken: _ct).ResponseAsync,
            a => a.ConvertedCredits > 0, what: "the conversion to be posted");
        var ledger = await bank.Accounts(learner).ListLedgerEntriesAsync(new() { AccountId = "me" }, cancellationToken: _ct);
        Assert.Equal(4, account.TotalCredits);
        Assert.Equal(evaluation.TotalCredits, account.ConvertedCredits);
        var conversion = Assert.Single(ledger.Entries, e => e.Kind == LedgerEntryKind.Conversion);
        Assert.Contains("CQU-SE-2025 CORE201", conversion.Description);
        Assert.Contains($"R-WEB-CORE v{verdict.RuleVersion}", conversion.Description);
        Assert.Equal("institution:" + StandaloneBankHost.University, conversion.Actor);

        var next = await bank.Conversion(learner).EvaluateConversionAsync(new() { ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct);
        Assert.Equal("ALREADY_USED_FOR_PROGRAMME", Assert.Single(next.Verdicts).Refusal);
    }

    [Fact]
    public async Task Academic_to_academic_a_college_course_with_a_good_grade_transfers_and_a_low_grade_is_explained()
    {
        var good = Requests.ResidentId(902);
        var low = Requests.ResidentId(903);
        var goodLearner = await bank.LearnerAsync("learner902", good);
        var lowLearner = await bank.LearnerAsync("learner903", low);
        await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: good, institution: StandaloneBankHost.College, grade: "87", courseCode: "CS101"), cancellationToken: _ct);
        await bank.Institutions.SubmitOutcomeAsync(Requests.Course(documentNumber: low, institution: StandaloneBankHost.College, grade: "75", courseCode: "CS101"), cancellationToken: _ct);

        var transferred = await bank.EvaluateWhenSeenAsync(goodLearner, "CQU-SE-2025", 1);
        var refused = await bank.EvaluateWhenSeenAsync(lowLearner, "CQU-SE-2025", 1);

        Assert.Equal(["CORE202"], Assert.Single(transferred.Exemptions).CourseCodes);
        Assert.Equal("GRADE_BELOW_THRESHOLD", refused.Verdicts[0].Refusal);
        Assert.Contains("below the required 80", refused.Verdicts[0].Explanation);
    }

    [Fact]
    public async Task A_decision_keeps_the_rule_version_it_was_evaluated_with_after_the_rule_changes()
    {
        var number = Requests.ResidentId(904);
        var learner = await bank.LearnerAsync("learner904", number);
        await bank.Institutions.SubmitOutcomeAsync(WebCertificate(number, SkillLevel.Intermediate), cancellationToken: _ct);
        await bank.EvaluateWhenSeenAsync(learner, "CQU-SE-2025", 1);
        var applied = (await bank.Conversion(learner).ApplyForConversionAsync(new() { RequestId = "a-904", ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct)).Application;
        var before = applied.Items[0].Exemption.RuleVersion;

        var import = await bank.ConversionAsInstitution(StandaloneBankHost.University).ImportRulesAsync(new()
        {
            ProgrammeCode = "CQU-SE-2025", Format = RuleFileFormat.Json,
            Content = """[{ "ruleId": "R-WEB-CORE", "programme": "CQU-SE-2025", "from": { "unit": "1X-WEB", "minLevel": 2 }, "exempts": ["CORE201"], "credits": 3, "validForYears": 5, "effectiveFrom": "2025-01-01" }]""",
        }, cancellationToken: _ct);
        var decided = (await bank.ConversionAsInstitution(StandaloneBankHost.University).DecideConversionAsync(new()
        {
            ApplicationId = applied.ApplicationId, Decisions = { new ItemDecisionInput { ItemNumber = 1, Accept = true } },
        }, cancellationToken: _ct)).Application;

        Assert.Empty(import.Problems);
        Assert.True(Assert.Single(import.Rules).Changed);
        Assert.Equal(before, decided.Items[0].Exemption.RuleVersion);
        Assert.Equal(applied.Items[0].Exemption.Credits, decided.AcceptedCredits);
        var now = await bank.Conversion(learner).EvaluateConversionAsync(new() { ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct);
        Assert.Equal("ALREADY_USED_FOR_PROGRAMME", Assert.Single(now.Verdicts).Refusal);
    }

    [Fact]
    public async Task Revoking_a_converted_outcome_flags_the_conversion()
    {
        var number = Requests.ResidentId(905);
        var learner = await bank.LearnerAsync("learner905", number);
        var certificate = await bank.Institutions.SubmitOutcomeAsync(WebCertificate(number, SkillLevel.Advanced), cancellationToken: _ct);
        await bank.EvaluateWhenSeenAsync(learner, "CQU-SE-2025", 1);
        var applied = (await bank.Conversion(learner).ApplyForConversionAsync(new() { RequestId = "a-905", ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct)).Application;

        await bank.Institutions.RevokeOutcomeAsync(new()
        {
            OutcomeId = certificate.OutcomeId, InstitutionCode = Requests.TrustedAssessor, Reason = RevocationReason.Fraud, Comment = "证书造假",
        }, cancellationToken: _ct);
        var flagged = await Eventually.Until(() => bank.Conversion(learner).GetApplicationAsync(new() { ApplicationId = applied.ApplicationId }, cancellationToken: _ct).ResponseAsync,
            a => a.Application.Items.All(i => i.Flagged), what: "the conversion to be flagged");
        var after = await bank.Conversion(learner).EvaluateConversionAsync(new() { ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct);

        Assert.True(flagged.Application.Items[0].Flagged);
        Assert.Equal("REVOKED", Assert.Single(after.Verdicts).Refusal);
    }

    [Fact]
    public async Task Only_the_programmes_institution_decides_and_another_learner_cannot_see_the_application()
    {
        var number = Requests.ResidentId(906);
        var learner = await bank.LearnerAsync("learner906", number);
        var stranger = await bank.LearnerAsync("learner907", Requests.ResidentId(907));
        await bank.Institutions.SubmitOutcomeAsync(WebCertificate(number, SkillLevel.Intermediate), cancellationToken: _ct);
        await bank.EvaluateWhenSeenAsync(learner, "CQU-SE-2025", 1);
        var applied = (await bank.Conversion(learner).ApplyForConversionAsync(new() { RequestId = "a-906", ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct)).Application;

        var wrongInstitution = await Assert.ThrowsAsync<RpcException>(() => bank.ConversionAsInstitution(StandaloneBankHost.College).DecideConversionAsync(new()
        {
            ApplicationId = applied.ApplicationId, Decisions = { new ItemDecisionInput { ItemNumber = 1, Accept = true } },
        }, cancellationToken: _ct).ResponseAsync);
        var hidden = await Assert.ThrowsAsync<RpcException>(() => bank.Conversion(stranger).GetApplicationAsync(new() { ApplicationId = applied.ApplicationId }, cancellationToken: _ct).ResponseAsync);
        var noReason = await Assert.ThrowsAsync<RpcException>(() => bank.ConversionAsInstitution(StandaloneBankHost.University).DecideConversionAsync(new()
        {
            ApplicationId = applied.ApplicationId, Decisions = { new ItemDecisionInput { ItemNumber = 1, Accept = false } },
        }, cancellationToken: _ct).ResponseAsync);

        // Another institution's application is not its business: to it, it does not exist.
        Assert.Equal(StatusCode.NotFound, wrongInstitution.StatusCode);
        Assert.Equal(StatusCode.NotFound, hidden.StatusCode);
        Assert.Equal("decisions[0].reason", Assert.Single(noReason.FieldViolations()).Field);
    }

    [Fact]
    public async Task Rules_import_with_line_level_problems_and_a_dry_run_stores_nothing_and_export_round_trips()
    {
        var university = bank.ConversionAsInstitution(StandaloneBankHost.University);
        var dryRun = await university.ImportRulesAsync(new()
        {
            ProgrammeCode = "CQU-SE-2025", Format = RuleFileFormat.Json, DryRun = true,
            Content = """
                [{ "ruleId": "R-NEW", "programme": "CQU-SE-2025", "from": { "unit": "1X-UI", "minLevel": 2 }, "exempts": ["CORE203"], "effectiveFrom": "2026-01-01" },
                 { "ruleId": "R-BAD", "programme": "CQU-SE-2025", "from": { "unit": "1X-UI", "minLevel": 2 }, "exempts": ["NOPE"], "effectiveFrom": "2026-01-01" }]
                """,
        }, cancellationToken: _ct);
        var exported = await university.ExportRulesAsync(new() { ProgrammeCode = "CQU-SE-2025", Format = RuleFileFormat.Csv }, cancellationToken: _ct);
        var reimported = await university.ImportRulesAsync(new() { ProgrammeCode = "CQU-SE-2025", Format = RuleFileFormat.Csv, DryRun = true, Content = exported.Content }, cancellationToken: _ct);
        var byLearner = await Assert.ThrowsAsync<RpcException>(() => bank.ConversionAsInstitution(StandaloneBankHost.College).ImportRulesAsync(new()
        {
            ProgrammeCode = "CQU-SE-2025", Format = RuleFileFormat.Json, Content = "[]",
        }, cancellationToken: _ct).ResponseAsync);

        Assert.True(dryRun.DryRun);
        var problem = Assert.Single(dryRun.Problems);
        Assert.Equal(2, problem.Line);
        Assert.Contains("NOPE", problem.Description);
        Assert.DoesNotContain("R-NEW", exported.Content);
        Assert.Empty(reimported.Problems);
        Assert.All(reimported.Rules, r => Assert.False(r.Changed));
        Assert.Equal(StatusCode.PermissionDenied, byLearner.StatusCode);
    }

    [Fact]
    public async Task Outcomes_submitted_at_once_on_the_embedded_default_all_reach_conversion_and_the_ledger()
    {
        // Concurrent calls are written together and announced in one event per institution (SubmittedOutcomesRecognised):
        // conversion and accounts must see every outcome of it, on SQLite and the in-memory bus as on PostgreSQL.
        var number = Requests.ResidentId(908);
        var learner = await bank.LearnerAsync("learner908", number);
        var requests = Enumerable.Range(0, 12)
            .Select(i => Requests.Course(documentNumber: number, institution: StandaloneBankHost.College, grade: "87", courseCode: "CS101", credits: 1))
            .Append(WebCertificate(number, SkillLevel.Intermediate)).ToList();

        var answers = await Task.WhenAll(requests.Select(r => bank.Institutions.SubmitOutcomeAsync(r, cancellationToken: _ct).ResponseAsync));
        var evaluation = await bank.EvaluateWhenSeenAsync(learner, "CQU-SE-2025", requests.Count);
        await bank.ClaimWhenOpenedAsync(learner, number);
        var account = await Eventually.Until(() => bank.Accounts(learner).GetAccountAsync(new() { AccountId = "me" }, cancellationToken: _ct).ResponseAsync,
            a => a.LedgerEntryCount >= requests.Count, what: "every outcome to be deposited");

        Assert.All(answers, a => Assert.Equal(OutcomeStatus.Recognised, a.Status));
        Assert.Equal(requests.Count, evaluation.Verdicts.Count);
        Assert.Equal(requests.Count, account.LedgerEntryCount);
        Assert.Equal(16, account.TotalCredits);
    }

    [Fact]
    public async Task A_learner_lists_their_own_applications_newest_first_and_sees_no_one_elses()
    {
        var number = Requests.ResidentId(911);
        var learner = await bank.LearnerAsync("learner911", number);
        var other = await bank.LearnerAsync("learner912", Requests.ResidentId(912));
        await bank.Institutions.SubmitOutcomeAsync(WebCertificate(number, SkillLevel.Intermediate), cancellationToken: _ct);
        await bank.EvaluateWhenSeenAsync(learner, "CQU-SE-2025", 1);
        var applied = (await bank.Conversion(learner).ApplyForConversionAsync(new() { RequestId = "a-911", ProgrammeCode = "CQU-SE-2025" }, cancellationToken: _ct)).Application;

        var mine = await bank.Conversion(learner).ListApplicationsAsync(new ListApplicationsRequest(), cancellationToken: _ct);
        var theirs = await bank.Conversion(other).ListApplicationsAsync(new ListApplicationsRequest(), cancellationToken: _ct);

        var listed = Assert.Single(mine.Applications);
        Assert.Equal(applied.ApplicationId, listed.ApplicationId);
        Assert.Equal(ApplicationStatus.Submitted, listed.Status);
        Assert.Equal(applied.Items.Count, listed.Items.Count);
        Assert.Empty(mine.NextPageToken);
        Assert.Empty(theirs.Applications);
    }

    private static SubmitOutcomeRequest WebCertificate(string number, SkillLevel level)
    {
        var request = Requests.Certificate(documentNumber: number, level: level);
        request.SkillCertificate.CertificateName = "Web 前端开发职业技能等级证书";
        return request;
    }
}
