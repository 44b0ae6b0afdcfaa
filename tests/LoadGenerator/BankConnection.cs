using Grpc.Core;

namespace CreditBank.LoadGenerator;

/// <summary>An institution's system as the load generator drives it: its code and a channel carrying its token.</summary>
public sealed record InstitutionClient(string Code, CallInvoker Recognition);

/// <summary>
/// Everything a scenario needs to drive the bank: institutions submitting, a bank administrator reading accounts, and
/// the accounts database, where a ledger entry existing is what "credited" means.
/// </summary>
public sealed record BankConnection(IReadOnlyList<InstitutionClient> Institutions, CallInvoker AccountsAsAdministrator, string AccountsDatabase);
