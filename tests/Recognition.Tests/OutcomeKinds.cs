using CreditBank.Contracts.Recognition.V1;
using Grpc.Core;

namespace CreditBank.Recognition.Tests;

/// <summary>Each kind of outcome: its own validation and its own credit rule.</summary>
public sealed class OutcomeKinds(RecognitionHost bank) : IClassFixture<RecognitionHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private static SubmitOutcomeRequest Request(string institution = Requests.TrustedAssessor, int learner = 601) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        InstitutionCode = institution,
        Learner = new Learner { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = Requests.ResidentId(learner), Name = "赵六" },
    };

    [Theory]
    [InlineData(QualificationLevel._5, 2)]
    [InlineData(QualificationLevel._3, 4)]
    [InlineData(QualificationLevel._1, 8)]
    public async Task A_vocational_qualification_earns_its_units_credits_by_level(QualificationLevel level, double credits)
    {
        var request = Request();
        request.VocationalQualification = new() { QualificationName = "电工", Level = level, CertificateNumber = $"VQ-{Requests.Serial()}", IssueDate = "2024-05-01" };

        var answer = await bank.Client.SubmitOutcomeAsync(request, cancellationToken: _ct);
        var outcome = (await bank.Client.GetOutcomeAsync(new() { OutcomeId = answer.OutcomeId }, cancellationToken: _ct)).Outcome;

        Assert.Equal(OutcomeStatus.Recognised, answer.Status);
        Assert.Equal(credits, answer.Credits);
        Assert.StartsWith("VQ-ELEC-", outcome.UnitCode);
    }

    [Fact]
    public async Task A_special_vocational_ability_earns_its_units_credits()
    {
        var request = Request();
        request.SpecialAbility = new() { AbilityName = "梁平竹帘制作", CertificateNumber = $"SA-{Requests.Serial()}", IssueDate = "2025-03-01" };

        var answer = await bank.Client.SubmitOutcomeAsync(request, cancellationToken: _ct);

        Assert.Equal(OutcomeStatus.Recognised, answer.Status);
        Assert.Equal(2, answer.Credits);
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(40, 2.5)]
    [InlineData(500, 8)]
    public async Task A_training_record_earns_one_credit_per_16_hours_in_half_credits_up_to_8(int hours, double credits)
    {
        var request = Request(Requests.TrustedCollege);
        request.TrainingRecord = new() { Title = $"数控车床操作培训 {Requests.Serial()}", Hours = hours, CompletionDate = "2025-12-01" };

        var answer = await bank.Client.SubmitOutcomeAsync(request, cancellationToken: _ct);

        Assert.Equal(OutcomeStatus.Recognised, answer.Status);
        Assert.Equal(credits, answer.Credits);
    }

    [Fact]
    public async Task A_training_record_under_half_a_credit_is_rejected_with_the_reason()
    {
        var request = Request(Requests.TrustedCollege);
        request.TrainingRecord = new() { Title = "安全生产讲座", Hours = 7, CompletionDate = "2025-12-01" };

        var answer = await bank.Client.SubmitOutcomeAsync(request, cancellationToken: _ct);

        Assert.Equal(OutcomeStatus.Rejected, answer.Status);
        Assert.Equal("TOO_FEW_HOURS", answer.StatusReasonCode);
    }

    [Theory]
    [InlineData(AwardLevel.National, AwardRank.First, 6)]
    [InlineData(AwardLevel.Provincial, AwardRank.Second, 3)]
    [InlineData(AwardLevel.School, AwardRank.Third, 0.5)]
    public async Task A_competition_award_earns_credits_by_level_and_rank(AwardLevel level, AwardRank rank, double credits)
    {
        var request = Request(Requests.TrustedCollege);
        request.CompetitionAward = new() { CompetitionName = "全国职业院校技能大赛 移动应用开发", Level = level, Rank = rank, CertificateNumber = $"AW-{Requests.Serial()}", AwardDate = "2025-06-10" };

        var answer = await bank.Client.SubmitOutcomeAsync(request, cancellationToken: _ct);

        Assert.Equal(credits, answer.Credits);
    }

    [Fact]
    public async Task An_informal_outcome_always_waits_for_the_learners_workstation_with_a_suggestion()
    {
        var request = Request(Requests.TrustedCollege);
        request.InformalOutcome = new() { Type = InformalType.Mooc, Title = "Python 程序设计", Provider = "中国大学MOOC", Hours = 40, CompletionDate = "2025-08-01" };

        var answer = await bank.Client.SubmitOutcomeAsync(request, cancellationToken: _ct);
        var outcome = (await bank.Client.GetOutcomeAsync(new() { OutcomeId = answer.OutcomeId }, cancellationToken: _ct)).Outcome;

        Assert.Equal(OutcomeStatus.PendingReview, answer.Status);
        Assert.Equal("INFORMAL_OUTCOME", answer.StatusReasonCode);
        Assert.Equal("WS-LIANGPING", outcome.WorkstationCode); // 500228… is 梁平
    }

    [Fact]
    public async Task A_certificate_the_catalogue_does_not_know_waits_for_review_even_from_a_trusted_issuer()
    {
        var request = Request();
        request.SkillCertificate = new() { CertificateName = "量子计算编程职业技能等级证书", Level = SkillLevel.Elementary, CertificateNumber = $"Q-{Requests.Serial()}", IssueDate = "2025-01-01" };

        var answer = await bank.Client.SubmitOutcomeAsync(request, cancellationToken: _ct);

        Assert.Equal(OutcomeStatus.PendingReview, answer.Status);
        Assert.Equal("NO_MATCHING_UNIT", answer.StatusReasonCode);
    }

    [Theory]
    [InlineData("3.2", OutcomeStatus.Recognised)]
    [InlineData("0.8", OutcomeStatus.Rejected)]
    public async Task A_grade_in_a_scheme_registered_by_data_is_kept_and_judged_by_its_pass_mark(string value, OutcomeStatus status)
    {
        var request = Requests.Course();
        request.Course.Grade = new Grade { SchemeCode = "GPA_4", Value = value };

        var answer = await bank.Client.SubmitOutcomeAsync(request, cancellationToken: _ct);
        var outcome = (await bank.Client.GetOutcomeAsync(new() { OutcomeId = answer.OutcomeId }, cancellationToken: _ct)).Outcome;

        Assert.Equal(status, answer.Status);
        Assert.Equal("GPA_4", outcome.Course.Grade.SchemeCode);
        Assert.Equal(value, outcome.Course.Grade.Value);
    }

    public static TheoryData<string, string, string> Mistakes => new()
    {
        { "qualification without level", "vocational_qualification.level", "REQUIRED_FIELD" },
        { "ability without number", "special_ability.certificate_number", "REQUIRED_FIELD" },
        { "training of 0 hours", "training_record.hours", "INVALID_HOURS" },
        { "award without rank", "competition_award.rank", "REQUIRED_FIELD" },
        { "informal without type", "informal_outcome.type", "REQUIRED_FIELD" },
        { "award date in the future", "competition_award.award_date", "ISSUE_DATE_IN_FUTURE" },
        { "grade in an unregistered scheme", "course.grade.scheme_code", "INVALID_GRADE" },
        { "GPA over 4", "course.grade.value", "INVALID_GRADE" },
        { "attachment hash not hex", "attachment_sha256", "INVALID_ATTACHMENT_HASH" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Each_kinds_mistake_is_refused_naming_the_field(string mistake, string field, string reason)
    {
        var request = Request(Requests.TrustedCollege);
        switch (mistake)
        {
            case "qualification without level": request.VocationalQualification = new() { QualificationName = "焊工", CertificateNumber = "1", IssueDate = "2024-01-01" }; break;
            case "ability without number": request.SpecialAbility = new() { AbilityName = "重庆小面制作", IssueDate = "2024-01-01" }; break;
            case "training of 0 hours": request.TrainingRecord = new() { Title = "培训", Hours = 0, CompletionDate = "2024-01-01" }; break;
            case "award without rank": request.CompetitionAward = new() { CompetitionName = "技能大赛", Level = AwardLevel.National, CertificateNumber = "1", AwardDate = "2024-01-01" }; break;
            case "informal without type": request.InformalOutcome = new() { Title = "MOOC", Provider = "学堂在线", Hours = 10, CompletionDate = "2024-01-01" }; break;
            case "award date in the future":
                request.CompetitionAward = new() { CompetitionName = "技能大赛", Level = AwardLevel.National, Rank = AwardRank.First, CertificateNumber = "1", AwardDate = DateTime.UtcNow.AddDays(5).ToString("yyyy-MM-dd") };
                break;
            case "grade in an unregistered scheme": request = Requests.Course(); request.Course.Grade = new() { SchemeCode = "TEN_LEVEL", Value = "A" }; break;
            case "GPA over 4": request = Requests.Course(); request.Course.Grade = new() { SchemeCode = "GPA_4", Value = "4.5" }; break;
            default: request = Requests.Course(); request.AttachmentSha256 = "not-a-hash"; break;
        }

        var refused = await Assert.ThrowsAsync<RpcException>(() => bank.Client.SubmitOutcomeAsync(request, cancellationToken: _ct).ResponseAsync);

        var violation = Assert.Single(refused.FieldViolations());
        Assert.Equal(field, violation.Field);
        Assert.Equal(reason, violation.Reason);
    }
}
