using System.Security.Cryptography;
using System.Text;
using CreditBank.Contracts.Learning;
using CreditBank.Grpc;
using CreditBank.Grpc.Security;
using CreditBank.PersonalData;
using CreditBank.Recognition.Domain;
using CreditBank.Recognition.Validation;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Grpc;

/// <summary>The outcome change feed and an institution's own outcomes.</summary>
internal sealed partial class RecognitionGrpcService
{
    /// <summary>A feed page: up to this many entries (a reader catching up reads ten thousand at a time).</summary>
    public const int MaxChangesPage = 10_000;

    private const int DefaultChangesPage = 1_000;

    [Authorize(Policy = Policies.OutcomeChangesRead)]
    public override async Task<V1.ListOutcomeChangesResponse> ListOutcomeChanges(V1.ListOutcomeChangesRequest request, ServerCallContext context)
    {
        var size = request.PageSize switch
        {
            < 0 => throw Problems.InvalidArgument("INVALID_PAGE_SIZE", "page_size must not be negative.",
                [new() { Field = "page_size", Reason = "INVALID_PAGE_SIZE", Description = $"page_size must be 0 (the default, {DefaultChangesPage}) or a positive number up to {MaxChangesPage}." }]),
            0 => DefaultChangesPage,
            > MaxChangesPage => MaxChangesPage,
            _ => request.PageSize,
        };
        var (afterXid, afterPosition) = PageToken.Decode2(request.PageToken, "changes");
        var page = await changes.ReadAsync(afterXid, afterPosition, size, context.CancellationToken);
        var response = new V1.ListOutcomeChangesResponse
        {
            NextPageToken = page.Count > 0 ? PageToken.Encode("changes", page[^1].WriterXid, page[^1].Position) : PageToken.Encode("changes", afterXid, afterPosition),
            CaughtUp = page.Count < size,
        };
        response.Changes.Capacity = page.Count;
        foreach (var change in page)
        {
            response.Changes.Add(new V1.OutcomeChange
            {
                Kind = (V1.OutcomeChangeKind)(int)change.Change,
                OutcomeId = change.OutcomeId.ToString(),
                OccurredAt = Timestamp.FromDateTimeOffset(change.OccurredAt),
                Actor = change.Actor,
                InstitutionCode = change.InstitutionCode,
                LearnerDocumentType = change.LearnerDocumentType,
                LearnerDocumentHash = change.LearnerDocumentHash,
                OutcomeKind = change.Kind,
                Title = change.Title,
                Credits = (double)change.Credits,
                UnitCode = change.UnitCode ?? string.Empty,
                StandardCode = change.StandardCode ?? string.Empty,
                Level = change.Level,
                CourseCode = change.CourseCode ?? string.Empty,
                GradeScheme = change.GradeScheme ?? string.Empty,
                GradeValue = change.GradeValue ?? string.Empty,
                Hours = change.Hours,
                AchievedOn = change.AchievedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ReasonCode = change.ReasonCode ?? string.Empty,
                BatchId = change.BatchId?.ToString() ?? string.Empty,
            });
        }

        return response;
    }

    /// <remarks>Newest first by submission time, keyset on (institution, submitted_at) (<see cref="NewestFirst"/>).</remarks>
    [Authorize]
    public override async Task<V1.ListInstitutionOutcomesResponse> ListInstitutionOutcomes(V1.ListInstitutionOutcomesRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var byInstitution = caller.Is(Roles.Institution) && caller.Has(Scopes.OutcomesSubmit);
        if (!byInstitution && !caller.Is(Roles.Admin))
        {
            throw Problems.PermissionDenied("INSTITUTIONS_AND_ADMINS_ONLY", "Only an institution (its own outcomes) and the bank's administrators list an institution's outcomes.");
        }

        var code = request.InstitutionCode.Trim();
        // Another institution's outcomes look exactly like an institution the bank does not know.
        if ((byInstitution && code != caller.InstitutionCode) || intake.Catalogue.Institution(code) is null)
        {
            throw Problems.NotFound("INSTITUTION_NOT_FOUND", $"No institution '{SubmitOutcomeValidation.Shorten(code)}' is registered.");
        }

        var violations = new FieldViolations();
        var today = BeijingTime.Today(time.GetUtcNow());
        var term = request.Term.Length > 0 ? violations.Term("term", request.Term, today) : null;
        string? hash = null;
        if (request.LearnerDocumentNumber.Length > 0 || request.LearnerDocumentType != V1.DocumentType.Unspecified)
        {
            var document = SubmitOutcomeValidation.Document(request.LearnerDocumentType, request.LearnerDocumentNumber, violations, today, "learner_");
            hash = document is null ? null : documents.Hash(document);
        }

        violations.Enum("status", request.Status, "The status", required: false);

        DateTimeOffset? from = request.SubmittedFrom?.ToDateTimeOffset();
        DateTimeOffset? before = request.SubmittedBefore?.ToDateTimeOffset();
        if (from is not null && before is not null && before <= from)
        {
            violations.Add("submitted_before", "submitted_before must be later than submitted_from.", "INVALID_DATE_RANGE");
        }

        violations.ThrowIfAny("The outcomes cannot be listed");
        var size = PageToken.Size(request.PageSize);
        var filters = $"{code}|{(int)request.Status}|{term}|{hash}|{from?.UtcTicks}|{before?.UtcTicks}";
        var scope = "institution-outcomes:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(filters)))[..16];
        var (until, served) = NewestFirst.Start(request.PageToken, scope);

        var query = db.Outcomes.AsNoTracking().Where(o => o.InstitutionCode == code);
        if (request.Status != V1.OutcomeStatus.Unspecified)
        {
            var status = (OutcomeStatus)(int)request.Status;
            query = query.Where(o => o.Status == status);
        }

        if (term is not null)
        {
            query = query.Where(o => o.CourseTerm == term);
        }

        if (hash is not null)
        {
            query = query.Where(o => o.LearnerDocumentHash == hash);
        }

        if (from is { } f)
        {
            query = query.Where(o => o.SubmittedAt >= f);
        }

        if (before is { } b)
        {
            query = query.Where(o => o.SubmittedAt < b);
        }

        if (until is { } u)
        {
            query = query.Where(o => o.SubmittedAt <= u);
        }

        var page = await query.OrderByDescending(o => o.SubmittedAt).ThenBy(o => o.Id)
            .Skip(served).Take(size + 1)
            .ToListAsync(context.CancellationToken);
        return new V1.ListInstitutionOutcomesResponse
        {
            Outcomes = { page.Take(size).Select(OutcomeMapping.ToContract) },
            NextPageToken = NewestFirst.Next(page, size, o => o.SubmittedAt, scope, until, served),
        };
    }
}
