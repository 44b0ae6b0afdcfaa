using System.Text.RegularExpressions;
using CreditBank.Deployment.Tests.CustomResources;
using k8s.Models;

namespace CreditBank.Deployment.Tests;

/// <summary>What production adds: replicas that survive a node drain, clustered stores, and stores only the right pods reach.</summary>
public sealed class Production
{
    private static readonly Rendered Prod = Manifests.Of(Overlays.Prod);

    /// <summary>The stateless services: any replica answers any call. Identity keeps its Data Protection keys per process.</summary>
    private static readonly string[] Stateless = ["recognition", "accounts", "conversion", "credentials"];

    /// <summary>Which pods may reach each store (by their app.kubernetes.io/name), besides the store's own pods.</summary>
    private static readonly Dictionary<string, string[]> Clients = new()
    {
        ["identity-db"] = ["identity"],
        ["recognition-db"] = ["recognition"],
        ["accounts-db"] = ["accounts"],
        ["conversion-db"] = ["conversion"],
        ["credentials-db"] = ["credentials"],
        ["creditbank-rabbitmq"] = ["identity", "recognition", "accounts", "conversion", "credentials"],
        ["valkey"] = ["accounts"],
    };

    private const string CredentialId = "0f8fad5b-d9cb-469f-a165-70867728950e";

    /// <summary>What verifiers read without a token, at the URLs every credential names (docs/credentials.md).</summary>
    private static readonly string[] ForVerifiers =
    [
        "/.well-known/jwks.json", "/credentials/issuer", "/credentials/keys/NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
        "/credentials/status/7", "/v1/credentials:verify", $"/v1/credentials/{CredentialId}:verify",
    ];

    /// <summary>What stays inside the cluster: issuing, reading and downloading credentials, signed decisions, gRPC, health, metrics.</summary>
    private static readonly string[] Internal =
    [
        "/v1/credentials:issueOutcome", "/v1/credentials:issueTranscript", $"/v1/credentials/{CredentialId}",
        $"/v1/credentials/{CredentialId}:download", $"/v1/decisions/outcomes/{CredentialId}", $"/v1/decisions/conversions/{CredentialId}",
        "/creditbank.credentials.v1.CredentialsService/IssueTranscript", "/health/ready", "/metrics", "/",
        "/credentials/keys/a/b", $"/v1/credentials/{CredentialId}:verify/x", $"/v1/credentials/{CredentialId}:download:verify/x",
        "/.well-known/jwks.json.bak",
    ];

    [Fact]
    public void Every_service_and_the_portal_have_a_disruption_budget_and_the_stateless_ones_an_autoscaler_of_at_least_two()
    {
        foreach (var deployment in Prod.Bank)
        {
            var labels = deployment.Spec.Template.Metadata.Labels;
            Assert.Single(Prod.All<V1PodDisruptionBudget>(), b => Wiring.Selects(b.Spec.Selector.MatchLabels, labels));
        }

        Assert.Equal(Stateless.Order(), Prod.All<V2HorizontalPodAutoscaler>().Select(h => h.Spec.ScaleTargetRef.Name).Order());
        Assert.All(Prod.All<V2HorizontalPodAutoscaler>(), h => Assert.True(h.Spec.MinReplicas >= 2, $"{h.Metadata.Name}: fewer than two replicas"));
        // Identity stays at one until its key ring is shared (k8s/base/identity.yaml); the portal until its sessions and
        // key ring are (k8s/base/portal.yaml).
        Assert.Equal(1, Prod.Services.Single(d => d.Metadata.Name == "identity").Spec.Replicas);
        Assert.Equal(1, Prod.Portal.Spec.Replicas);
    }

    [Fact]
    public void The_portal_is_served_over_TLS_at_the_address_identity_registers_its_sign_in_client_under()
    {
        var portalUrl = new Uri(Prod.Config["Identity__PortalUrl"]);

        Assert.Equal(("https", "/"), (portalUrl.Scheme, portalUrl.AbsolutePath));
        Assert.Contains(Prod.All<V1Ingress>().SelectMany(i => i.Spec.Tls ?? []), tls => tls.Hosts.Contains(portalUrl.Host));
        Assert.Equal(("portal", "rest"), Route(portalUrl.Host, "/"));
        Assert.Equal(("portal", "rest"), Route(portalUrl.Host, "/signin-callback"));
        // No other host leads to the portal.
        Assert.DoesNotContain(Prod.All<V1Ingress>().SelectMany(i => i.Spec.Rules).Where(r => r.Host != portalUrl.Host).SelectMany(r => r.Http.Paths),
            path => path.Backend.Service.Name == "portal");
        // Behind the TLS-terminating ingress it builds its callback URL from X-Forwarded-Proto: https, as registered.
        var container = Prod.Portal.Spec.Template.Spec.Containers.Single();
        Assert.Contains(container.Env, e => e.Name == "ASPNETCORE_FORWARDEDHEADERS_ENABLED" && e.Value == "true");
    }

    [Fact]
    public void The_portal_accepts_connections_only_from_the_ingress_controller_and_prometheus_and_the_services_it_calls_accept_it()
    {
        var portal = Prod.Portal.Spec.Template;
        var container = portal.Spec.Containers.Single();
        var port = (string name) => container.Ports.Single(p => p.Name == name).ContainerPort;
        var policies = Prod.All<V1NetworkPolicy>().ToList();

        var guarding = Assert.Single(policies, n => Wiring.Selects(n.Spec.PodSelector.MatchLabels, portal.Metadata.Labels));
        var admitted = (guarding.Spec.Ingress ?? []).SelectMany(rule => (rule.FromProperty ?? []).Select(peer => (
                Peer: peer.PodSelector is null && peer.NamespaceSelector?.MatchLabels?.TryGetValue("kubernetes.io/metadata.name", out var ns) == true ? ns : "(not a whole namespace)",
                Ports: string.Join(",", (rule.Ports ?? []).Select(p => p.Port.Value)))))
            .Order()
            .ToList();
        Assert.Equal([("ingress-nginx", $"{port("rest")}"), ("monitoring", $"{port("metrics")}")], admitted);

        // The services it calls: either no policy guards their pods, or one lets the portal in.
        foreach (var service in new[] { "identity", "recognition", "accounts", "conversion" })
        {
            var labels = Prod.Services.Single(d => d.Metadata.Name == service).Spec.Template.Metadata.Labels;
            var theirs = policies.Where(n => Wiring.Selects(n.Spec.PodSelector.MatchLabels, labels)).ToList();
            Assert.True(theirs.Count == 0 || theirs.SelectMany(n => n.Spec.Ingress ?? []).SelectMany(r => r.FromProperty ?? [])
                .Any(peer => peer.NamespaceSelector is null && Wiring.Selects(peer.PodSelector?.MatchLabels, portal.Metadata.Labels)),
                $"{service}'s NetworkPolicies do not let the portal in");
        }
    }

    [Fact]
    public void Every_service_database_is_its_own_replicated_and_backed_up_PostgreSQL_cluster()
    {
        foreach (var service in Prod.Services.Select(d => d.Metadata.Name))
        {
            var cluster = Assert.Single(Prod.All<PostgresCluster>(), c => c.Metadata.Name == $"{service}-db");
            Assert.True(cluster.Spec.Instances >= 2, $"{service}-db: a single instance");
            Assert.Equal((service, service), (cluster.Spec.Bootstrap?.Initdb?.Database, cluster.Spec.Bootstrap?.Initdb?.Owner));
            var archiver = Assert.Single(cluster.Spec.Plugins ?? [], p => p.IsWalArchiver == true);
            Assert.Single(Prod.All<ObjectStore>(), s => s.Metadata.Name == archiver.Parameters?["barmanObjectName"]);
            Assert.Single(Prod.All<ScheduledBackup>(), b => b.Spec.Cluster?.Name == cluster.Metadata.Name && b.Spec.Method == "plugin");
        }
    }

    [Fact]
    public void The_broker_is_three_nodes_with_quorum_queues_and_a_user_per_service_that_uses_it()
    {
        var broker = Assert.Single(Prod.All<RabbitmqCluster>());
        Assert.Equal(3, broker.Spec.Replicas);
        Assert.Contains("default_queue_type = quorum", broker.Spec.Rabbitmq?.AdditionalConfig ?? "", StringComparison.Ordinal);

        foreach (var service in Prod.Services.Where(UsesTheBroker).Select(d => d.Metadata.Name))
        {
            var user = Assert.Single(Prod.All<RabbitmqUser>(), u => u.Metadata.Name == service);
            Assert.Equal(broker.Metadata.Name, user.Spec.RabbitmqClusterReference?.Name);
            Assert.Single(Prod.All<RabbitmqPermission>(), p => p.Spec.UserReference?.Name == service && p.Spec.Vhost == "/");
        }
    }

    [Fact]
    public void The_cache_is_a_primary_with_a_replica_that_follows_it()
    {
        var primary = Assert.Single(Prod.All<V1StatefulSet>(), s => s.Metadata.Name == "valkey-primary");
        var replica = Assert.Single(Prod.All<V1StatefulSet>(), s => s.Metadata.Name == "valkey-replica");
        var args = replica.Spec.Template.Spec.Containers.Single().Args;

        Assert.Equal("valkey-primary", args[args.IndexOf("--replicaof") + 1]);
        Assert.Single(Prod.All<V1Service>(), s => s.Metadata.Name == "valkey-primary" && Wiring.Selects(s.Spec.Selector, primary.Spec.Template.Metadata.Labels));
        Assert.DoesNotContain("--replicaof", primary.Spec.Template.Spec.Containers.Single().Args);
    }

    [Fact]
    public void Every_store_accepts_connections_only_from_the_pods_that_use_it()
    {
        var pods = Prod.Pods.ToList();
        var policies = Prod.All<V1NetworkPolicy>().ToList();
        foreach (var (store, clients) in Clients)
        {
            var storePods = pods.Where(p => p.Owner.EndsWith($"/{store}", StringComparison.Ordinal)
                || (p.Labels.TryGetValue("app.kubernetes.io/name", out var name) && name == store)).ToList();
            Assert.NotEmpty(storePods);
            var guarding = policies.Where(n => storePods.Any(p => Wiring.Selects(n.Spec.PodSelector.MatchLabels, p.Labels))).ToList();
            Assert.NotEmpty(guarding);

            // Every pod a guarding policy lets in is one of the store's clients or one of the store's own pods.
            var admitted = guarding.SelectMany(n => n.Spec.Ingress ?? []).SelectMany(r => r.FromProperty ?? [])
                .Where(peer => peer.PodSelector is not null && peer.NamespaceSelector is null)
                .SelectMany(peer => pods.Where(p => Wiring.Selects(peer.PodSelector.MatchLabels, p.Labels)))
                .Select(p => p.Labels.TryGetValue("app.kubernetes.io/name", out var name) ? name : p.Owner)
                .Distinct()
                .ToList();
            var own = storePods.Select(p => p.Labels.TryGetValue("app.kubernetes.io/name", out var name) ? name : p.Owner).ToHashSet();
            Assert.Equal(clients.Order(), admitted.Where(a => !own.Contains(a)).Order());
        }
    }

    [Fact]
    public void Every_NetworkPolicy_selects_pods_that_exist()
    {
        var pods = Prod.Pods.ToList();
        var wrong = Prod.All<V1NetworkPolicy>()
            .SelectMany(n => new[] { (Policy: n.Metadata.Name, Selector: n.Spec.PodSelector) }
                .Concat((n.Spec.Ingress ?? []).SelectMany(r => r.FromProperty ?? []).Where(p => p.PodSelector is not null && p.NamespaceSelector is null)
                    .Select(p => (Policy: n.Metadata.Name, Selector: p.PodSelector))))
            .Where(x => !pods.Any(p => Wiring.Selects(x.Selector.MatchLabels, p.Labels)))
            .Select(x => $"NetworkPolicy/{x.Policy}: {string.Join(",", x.Selector.MatchLabels.Select(l => $"{l.Key}={l.Value}"))} selects no pod");

        Assert.Empty(wrong);
    }

    [Fact]
    public void Identity_bootstraps_the_first_administrator_with_a_password_from_a_Secret_and_registers_the_portal_at_its_public_address()
    {
        var identity = Prod.Services.Single(d => d.Metadata.Name == "identity").Spec.Template.Spec.Containers.Single();

        var password = identity.Env.Single(e => e.Name == "Identity__Bootstrap__AdministratorPassword");
        Assert.Null(password.Value);
        Assert.Equal(("creditbank-identity-bootstrap", "administrator-password"), (password.ValueFrom.SecretKeyRef.Name, password.ValueFrom.SecretKeyRef.Key));
        Assert.Matches("^[A-Za-z0-9._-]{3,100}$", Prod.Config["Identity__Bootstrap__AdministratorUserName"]);
        var portal = new Uri(Prod.Config["Identity__PortalUrl"]);
        Assert.Equal("https", portal.Scheme);
        Assert.EndsWith("/", portal.AbsoluteUri, StringComparison.Ordinal);
        Assert.False(Prod.Config.ContainsKey("Identity__SeedDemo"));
    }

    [Fact]
    public void Of_credentials_the_ingress_publishes_only_what_verifiers_read_under_the_public_base_URL()
    {
        var publicBase = new Uri(Prod.Config["Credentials__PublicBaseUrl"]);
        Assert.Equal(("https", "/"), (publicBase.Scheme, publicBase.AbsolutePath));
        Assert.Contains(Prod.All<V1Ingress>().SelectMany(i => i.Spec.Tls ?? []), tls => tls.Hosts.Contains(publicBase.Host));

        Assert.All(ForVerifiers, path => Assert.Equal(("credentials", "rest"), Route(publicBase.Host, path)));
        Assert.All(Internal, path => Assert.Null(Route(publicBase.Host, path)));
        // No other host leads to credentials.
        Assert.DoesNotContain(Prod.All<V1Ingress>().SelectMany(i => i.Spec.Rules).Where(r => r.Host != publicBase.Host).SelectMany(r => r.Http.Paths),
            path => path.Backend.Service.Name == "credentials");
    }

    /// <summary>
    /// Where ingress-nginx sends a request for <paramref name="path"/> on <paramref name="host"/>: the longest of the
    /// host's paths that matches it, as a regular expression from the path's start, case-insensitive, when an Ingress of
    /// that host sets <c>use-regex</c> (ingress-nginx then applies it to every path of the host); otherwise exactly
    /// (<c>Exact</c>) or element-wise (<c>Prefix</c>). Null when nothing matches (the controller answers 404).
    /// </summary>
    private static (string Service, string Port)? Route(string host, string path)
    {
        var ingresses = Prod.All<V1Ingress>().Where(i => i.Spec.Rules.Any(r => r.Host == host)).ToList();
        var regex = ingresses.Any(i => i.Metadata.Annotations?.TryGetValue("nginx.ingress.kubernetes.io/use-regex", out var on) == true && on == "true");
        var match = ingresses.SelectMany(i => i.Spec.Rules).Where(r => r.Host == host).SelectMany(r => r.Http.Paths)
            .Where(p => p.PathType switch
            {
                "Exact" => p.Path == path,
                _ when regex => Regex.IsMatch(path, "^" + p.Path, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
                "Prefix" => p.Path == "/" || path == p.Path.TrimEnd('/') || path.StartsWith(p.Path.TrimEnd('/') + "/", StringComparison.Ordinal),
                _ => path.StartsWith(p.Path, StringComparison.Ordinal),
            })
            .OrderByDescending(p => p.Path.Length)
            .FirstOrDefault();
        return match is null ? null : (match.Backend.Service.Name, match.Backend.Service.Port.Name);
    }

    private static bool UsesTheBroker(V1Deployment deployment) =>
        deployment.Spec.Template.Spec.Containers.Single().Env.Any(e => e.Name == "Messaging__RabbitMqUri");
}
