using CreditBank.Accounts;
using CreditBank.Contracts.Accounts.V1;
using CreditBank.Identity;
using Grpc.Core;

namespace CreditBank.Security.Tests;

public sealed class DevelopmentKeys
{
    [Fact]
    public async Task On_the_embedded_default_tokens_survive_a_restart_because_the_keys_stay_in_the_data_folder()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(Path.GetTempPath(), "creditbank-tests", "keys-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["DataFolder"] = folder };
        string token;
        await using (var before = await ServiceHost.StartAsync(b => b.AddIdentityProvider().AddAccounts(), a => a.MapIdentityProvider().MapAccounts(), settings))
        {
            token = await Tokens.ForPersonAsync(before.Handler, "admin", "demo-admin");
        }

        await using var after = await ServiceHost.StartAsync(b => b.AddIdentityProvider().AddAccounts(), a => a.MapIdentityProvider().MapAccounts(), settings);
        var accounts = new AccountsService.AccountsServiceClient(after.Channel.WithToken(token));
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            accounts.GetAccountAsync(new() { AccountId = Guid.NewGuid().ToString() }, cancellationToken: ct).ResponseAsync);

        // Accepted (the account simply does not exist), not Unauthenticated.
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.True(File.Exists(Path.Combine(folder, "identity-keys", "signing.pem")));
        Directory.Delete(folder, recursive: true);
    }
}
