namespace CreditBank.Grpc.Security;

/// <summary>OAuth scopes: what a token may be used for. Services check one per RPC.</summary>
public static class Scopes
{
    public const string AccountsRead = "accounts.read";
    public const string OutcomesSubmit = "outcomes.submit";
    public const string OutcomesReview = "outcomes.review";
    public const string ConversionsApply = "conversions.apply";

    /// <summary>A learner applying for recognition of their own informal learning, with evidence files.</summary>
    public const string OutcomesApply = "outcomes.apply";
    public const string ConversionsDecide = "conversions.decide";
    public const string ExchangePartner = "exchange.partner";

    /// <summary>Reading the outcome change feed: a service keeping its own copy of banked outcomes (conversion).</summary>
    public const string OutcomesFeed = "outcomes.feed";
    public const string Admin = "admin";

    public static readonly string[] All = [AccountsRead, OutcomesSubmit, OutcomesReview, ConversionsApply, ConversionsDecide, ExchangePartner, OutcomesFeed, Admin, OutcomesApply];
}

/// <summary>Who a caller is in the bank.</summary>
public static class Roles
{
    public const string Learner = "learner";
    public const string Institution = "institution";
    public const string Reviewer = "reviewer";
    public const string Partner = "partner";

    /// <summary>One of the bank's own services calling another (e.g. conversion reading the outcome change feed).</summary>
    public const string Service = "service";
    public const string Admin = "admin";
}

/// <summary>The bank's own claims in access tokens, beside the standard <c>sub</c>, <c>name</c>, <c>role</c>, <c>scope</c>.</summary>
public static class BankClaims
{
    /// <summary>An institution client's code (统一社会信用代码 or 学校标识码).</summary>
    public const string InstitutionCode = "institution_code";

    /// <summary>A partner credit bank's code.</summary>
    public const string PartnerCode = "partner_code";

    /// <summary>A reviewer's workstation (工作站) code.</summary>
    public const string Workstation = "workstation";

    /// <summary>A verified learner's document, as the bank's keyed hash (never the number).</summary>
    public const string DocumentHash = "document_hash";
}

/// <summary>Authorization policies, one per RPC family; named after the scope they require.</summary>
public static class Policies
{
    /// <summary>Anyone whose token lets them read outcomes: institutions, learners, reviewers, admins (ownership is checked per outcome).</summary>
    public const string OutcomesRead = "outcomes.read";

    /// <summary>Learners applying, institutions deciding, reviewers and administrators (ownership is checked per application).</summary>
    public const string ConversionsRead = "conversions.read";

    /// <summary>The outcome change feed: clients with <see cref="Scopes.OutcomesFeed"/> and administrators.</summary>
    public const string OutcomeChangesRead = "outcomes.changes";
}
