using System.Globalization;
using System.Text;
using CreditBank.Contracts.Recognition.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Accounts = CreditBank.Contracts.Accounts.V1;
using Conversion = CreditBank.Contracts.Conversion.V1;

namespace CreditBank.Hardening.Tests;

/// <summary>
/// What the bank holds, read back through the contract as an administrator (and the programme's institution), and
/// judged field by field: text without control characters, surrogates or 乱码, in NFC, of bounded length; enums the
/// contract defines; finite amounts; dates from 1900 to today.
/// </summary>
public sealed class StoredData(StandaloneBank bank)
{
    private readonly List<string> _found = [];

    public async Task AssertNothingMalformedAsync(IEnumerable<string> documents)
    {
        var admin = bank.Channel.WithToken(bank.TokenOf["admin"]);
        var recognition = new RecognitionService.RecognitionServiceClient(admin);
        foreach (var document in documents)
        {
            string token = string.Empty;
            do
            {
                var page = await recognition.ListLearnerOutcomesAsync(new()
                {
                    DocumentType = DocumentType.ResidentIdCard, DocumentNumber = document, PageSize = 1000, PageToken = token,
                });
                Judge(page);
                token = page.NextPageToken;
            }
            while (token.Length > 0);

            try
            {
                Judge(await new Accounts.AccountsService.AccountsServiceClient(admin).LookupAccountAsync(new()
                {
                    DocumentType = Accounts.DocumentType.ResidentIdCard, DocumentNumber = document,
                }));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
            }
        }

        var catalogue = new CatalogueService.CatalogueServiceClient(admin);
        var units = string.Empty;
        do
        {
            var page = await catalogue.ListAccreditationUnitsAsync(new() { PageSize = 1000, PageToken = units });
            Judge(page);
            units = page.NextPageToken;
        }
        while (units.Length > 0);

        Judge(await catalogue.ListInstitutionsAsync(new() { PageSize = 1000 }));
        Judge(await catalogue.ListGradingSchemesAsync(new()));
        var conversion = new Conversion.ConversionService.ConversionServiceClient(admin);
        Judge(await conversion.ListProgrammesAsync(new()));
        foreach (var programme in new[] { "CQU-SE-2025", "CQCET-ME-2025" })
        {
            Judge(await conversion.ExportRulesAsync(new() { ProgrammeCode = programme, Format = Conversion.RuleFileFormat.Json }));
        }

        Assert.True(_found.Count == 0, $"Malformed values are stored:\n{string.Join('\n', _found.Take(30))}");
    }

    private void Judge(IMessage message, string path = "")
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var value = field.Accessor.GetValue(message);
            var at = path + field.Name;
            if (field.IsRepeated)
            {
                var index = 0;
                foreach (var item in (System.Collections.IEnumerable)value)
                {
                    JudgeValue(field, item, $"{at}[{index++}]");
                }
            }
            else if (field.FieldType != FieldType.Message || field.Accessor.HasValue(message))
            {
                JudgeValue(field, value, at);
            }
        }
    }

    private void JudgeValue(FieldDescriptor field, object? value, string at)
    {
        switch (field.FieldType)
        {
            case FieldType.Message when value is IMessage inner && inner.Descriptor.FullName != "google.protobuf.Timestamp":
                Judge(inner, at + ".");
                break;
            case FieldType.String when value is string text:
                if (field.Name == "content")
                {
                    break; // an exported rule file: its own rows are checked as they are imported
                }

                foreach (var line in text.Split('\n'))
                {
                    if (CreditBank.Grpc.Validation.Text.Clean(line, out var problem) is null)
                    {
                        _found.Add($"{at}: {problem}");
                    }
                }

                if (!text.IsNormalized(NormalizationForm.FormC))
                {
                    _found.Add($"{at}: not in NFC");
                }

                if (text.Length > 2500)
                {
                    _found.Add($"{at}: {text.Length} characters");
                }

                if (field.Name.EndsWith("_date", StringComparison.Ordinal) && text.Length > 0
                    && (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || date.Year < 1900 || date > DateOnly.FromDateTime(DateTime.UtcNow.AddDays(1))))
                {
                    _found.Add($"{at}: date {text}");
                }

                break;
            case FieldType.Enum:
                var number = Convert.ToInt32(value, CultureInfo.InvariantCulture);
                if (field.EnumType.FindValueByNumber(number) is null)
                {
                    _found.Add($"{at}: {number} is not a value of {field.EnumType.Name}");
                }

                break;
            case FieldType.Double when value is double amount:
                if (!double.IsFinite(amount) || Math.Abs(amount) > 1e6)
                {
                    _found.Add($"{at}: {amount}");
                }

                break;
            case FieldType.Int32 when value is int whole && field.Name is "level" or "hours" or "framework_level" or "version":
                if (whole is < 0 or > 20_000)
                {
                    _found.Add($"{at}: {whole}");
                }

                break;
        }
    }
}
