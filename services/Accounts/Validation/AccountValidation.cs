using CreditBank.Grpc;
using CreditBank.PersonalData;
using V1 = CreditBank.Contracts.Accounts.V1;

namespace CreditBank.Accounts.Validation;

/// <summary>The rules of the accounts contract's requests: a document (type and number) and an account id.</summary>
internal static class AccountValidation
{
    /// <summary>A document type and number (居民身份证 checked for its check character, birth date and province); throws InvalidArgument.</summary>
    public static IdentityDocument Document(V1.DocumentType type, string number, string subject)
    {
        var violations = new FieldViolations();
        var known = violations.Enum("document_type", type, "The document type (证件类型)");
        var text = violations.Text("document_number", number, 40, "The document number (证件号码)");
        IdentityDocument? document = null;
        if (known != V1.DocumentType.Unspecified && text.Length > 0
            && !IdentityDocument.TryParse((DocumentType)(int)known, text, out document, out var problem))
        {
            violations.Add("document_number", problem!, "INVALID_DOCUMENT_NUMBER");
        }

        violations.ThrowIfAny(subject);
        return document!;
    }

    /// <summary>An account id (a UUID), or null for "me".</summary>
    public static Guid? AccountId(string value, string me)
    {
        if (value == me)
        {
            return null;
        }

        return Guid.TryParse(value, out var id)
            ? id
            : throw Problems.InvalidArgument("INVALID_ACCOUNT_ID", "account_id is not an account id.",
                [new() { Field = "account_id", Description = "Use the account_id LookupAccount returned (a UUID), or \"me\".", Reason = "INVALID_ACCOUNT_ID" }]);
    }
}
