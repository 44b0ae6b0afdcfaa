using CreditBank.Grpc.Security;
using CreditBank.Identity.Domain;
using CreditBank.Identity.Grpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreditBank.Identity.Administration;

/// <summary>
/// The first administrator of a bank without demo data (<c>Identity:Bootstrap</c>): created at start, once the database
/// is up to date, when no administrator exists; otherwise nothing. The settings are checked at every start, so a weak
/// password stops the host whether or not it would be used. Replicas starting together race on the unique user name: the
/// one that loses finds the administrator the other created.
/// </summary>
internal sealed partial class AdministratorBootstrap(IServiceScopeFactory scopes, IOptions<IdentityOptions> options, ILogger<AdministratorBootstrap> logger)
    : IHostedService
{
    /// <summary>How the audit log names who created the administrator.</summary>
    public const string Actor = "bootstrap";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var bootstrap = options.Value.Bootstrap;
        var userName = bootstrap.AdministratorUserName;
        if (!AdministrationGrpcService.UserNamePattern().IsMatch(userName))
        {
            throw Refused($"AdministratorUserName must be 3 to 100 letters, digits, '.', '-' or '_' (it is '{userName}').");
        }

        if (bootstrap.AdministratorPassword.Length == 0)
        {
            throw Refused("AdministratorPassword is not set (it comes from a secret store, e.g. a Kubernetes Secret).");
        }

        if (PasswordPolicy.Problem(bootstrap.AdministratorPassword) is { } problem)
        {
            throw Refused($"AdministratorPassword does not meet the password policy: {problem}");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.IdentityDb>();
        if (await AnyAdministratorAsync(db, cancellationToken))
        {
            LogNotNeeded();
            return;
        }

        try
        {
            var displayName = bootstrap.AdministratorDisplayName.Length > 0 ? bootstrap.AdministratorDisplayName : userName;
            await scope.ServiceProvider.GetRequiredService<PeopleAdministration>()
                .CreateAsync(userName, displayName, bootstrap.AdministratorPassword, Roles.Admin, null, null,
                    changeAtFirstSignIn: false, Actor, cancellationToken);
            LogCreated(userName);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            // The user name is taken: by the administrator another replica has just created, or by someone who is not one.
            db.ChangeTracker.Clear();
            if (!await AnyAdministratorAsync(db, cancellationToken))
            {
                throw Refused($"AdministratorUserName '{userName}' is taken by someone who is not an administrator; choose another.");
            }

            LogNotNeeded();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static Task<bool> AnyAdministratorAsync(Data.IdentityDb db, CancellationToken ct) => db.People.AnyAsync(p => p.Role == Roles.Admin, ct);

    private static InvalidOperationException Refused(string why) =>
        new($"Identity:Bootstrap: {why} The first administrator was not created and identity does not start.");

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Bootstrap: administrator {UserName} created")]
    private partial void LogCreated(string userName);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Bootstrap: an administrator exists, none created")]
    private partial void LogNotNeeded();
}
