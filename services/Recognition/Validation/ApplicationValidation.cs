using System.Security.Cryptography;
using CreditBank.Grpc;
using CreditBank.Grpc.Validation;
using CreditBank.Recognition.Domain;
using V1 = CreditBank.Contracts.Recognition.V1;

namespace CreditBank.Recognition.Validation;

/// <summary>A learner's application for recognition (<c>ApplyForRecognitionRequest</c>) in the domain's terms, or every field that is wrong.</summary>
internal static class ApplicationValidation
{
    /// <summary>An evidence file that passed: what it is, by its bytes.</summary>
    public sealed record Evidence(string FileName, string ContentType, string Sha256, byte[] Content);

    public sealed record Parsed(InformalDetail Detail, IReadOnlyList<Evidence> Files);

    /// <summary>Throws InvalidArgument naming every wrong field; the informal outcome is checked as an institution's is.</summary>
    public static Parsed Parse(V1.ApplyForRecognitionRequest request, DateOnly today)
    {
        var violations = new FieldViolations();
        violations.Text("request_id", request.RequestId, SubmitOutcomeValidation.RequestIdLength, "request_id (a client-chosen id for retries, e.g. a UUID)");
        InformalDetail? detail = null;
        if (request.InformalOutcome is null)
        {
            violations.Add("informal_outcome", "Say what was learned: informal_outcome with its type, title, provider, hours and completion date.", "REQUIRED_FIELD");
        }
        else
        {
            detail = SubmitOutcomeValidation.ParseInformal(request.InformalOutcome, violations, today);
        }

        var files = Files(request.EvidenceFiles, violations);
        violations.ThrowIfAny("The application was not accepted");
        return new Parsed(detail!, files);
    }

    private static List<Evidence> Files(IReadOnlyList<V1.EvidenceUpload> uploads, FieldViolations violations)
    {
        var files = new List<Evidence>(uploads.Count);
        if (uploads.Count == 0)
        {
            violations.Add("evidence_files", $"Attach at least one evidence file (证明材料): a PDF, JPEG or PNG of the certificate or record, up to {EvidenceFile.MaxFiles}.",
                "REQUIRED_FIELD");
            return files;
        }

        if (uploads.Count > EvidenceFile.MaxFiles)
        {
            violations.Add("evidence_files", $"{uploads.Count} files is more than the {EvidenceFile.MaxFiles} an application takes; combine pages into one PDF.",
                "TOO_MANY_EVIDENCE_FILES");
            return files;
        }

        for (var i = 0; i < uploads.Count; i++)
        {
            var field = $"evidence_files[{i}]";
            var upload = uploads[i];
            var name = violations.Text(field + ".file_name", upload.FileName, EvidenceFile.FileNameLength, "The file name");
            if (name.IndexOfAny(['/', '\\']) >= 0)
            {
                violations.Add(field + ".file_name", "Give the file's name without a folder, e.g. certificate.pdf.", "INVALID_FILE_NAME");
            }

            var content = upload.Content.Span;
            if (content.Length == 0)
            {
                violations.Add(field + ".content", "The file is empty.", "REQUIRED_FIELD");
                continue;
            }

            if (content.Length > EvidenceFile.MaxBytes)
            {
                violations.Add(field + ".content", $"The file is {content.Length:N0} bytes; an evidence file may be at most {EvidenceFile.MaxBytes:N0} bytes (1 MB). Scan at a lower resolution or compress it.",
                    "EVIDENCE_FILE_TOO_LARGE");
                continue;
            }

            var type = EvidenceKinds.Recognise(content);
            if (type is null)
            {
                violations.Add(field + ".content", "The file is not a PDF, JPEG or PNG (read from its content, whatever its name says); save or scan it as one of those.",
                    "UNSUPPORTED_EVIDENCE_TYPE");
                continue;
            }

            files.Add(new Evidence(name, type, Convert.ToHexStringLower(SHA256.HashData(content)), upload.Content.ToByteArray()));
        }

        return files;
    }
}
