using CreditBank.Deployment.Tests.CustomResources;
using k8s.Models;

namespace CreditBank.Deployment.Tests;

/// <summary>How the objects of an overlay find each other: selectors, references, ports, settings.</summary>
public sealed class Wiring
{
    [Theory]
    [MemberData(nameof(Overlays.WithServices), MemberType = typeof(Overlays))]
    public void Every_workload_selects_the_pods_its_template_labels(string overlay)
    {
        var rendered = Manifests.Of(overlay);
        var wrong = rendered.All<V1Deployment>().Select(d => (Owner: $"Deployment/{d.Metadata.Name}", d.Spec.Selector, d.Spec.Template))
            .Concat(rendered.All<V1StatefulSet>().Select(s => (Owner: $"StatefulSet/{s.Metadata.Name}", s.Spec.Selector, s.Spec.Template)))
            .Where(w => w.Selector.MatchExpressions is { Count: > 0 } || !Selects(w.Selector.MatchLabels, w.Template.Metadata.Labels))
            .Select(w => w.Owner);

        Assert.Empty(wrong);
    }

    [Theory]
    [MemberData(nameof(Overlays.WithServices), MemberType = typeof(Overlays))]
    public void Every_Service_disruption_budget_autoscaler_and_ingress_reaches_something_that_exists(string overlay)
    {
        var rendered = Manifests.Of(overlay);
        var serving = rendered.Workloads.Where(w => w.Serves).ToList();
        var wrong = new List<string>();
        foreach (var service in rendered.All<V1Service>())
        {
            var pods = serving.Where(w => Selects(service.Spec.Selector, w.Labels)).ToList();
            if (pods.Count == 0)
            {
                wrong.Add($"Service/{service.Metadata.Name} selects no pod");
            }

            foreach (var port in service.Spec.Ports.Where(p => p.TargetPort is { } target && !int.TryParse(target.Value, out _)))
            {
                if (!pods.All(w => w.Template.Spec.Containers.Any(c => c.Ports?.Any(p => p.Name == port.TargetPort.Value) == true)))
                {
                    wrong.Add($"Service/{service.Metadata.Name} port {port.Name}: no container port named {port.TargetPort.Value}");
                }
            }
        }

        foreach (var budget in rendered.All<V1PodDisruptionBudget>().Where(b => !serving.Any(w => Selects(b.Spec.Selector.MatchLabels, w.Labels))))
        {
            wrong.Add($"PodDisruptionBudget/{budget.Metadata.Name} selects no pod");
        }

        foreach (var scaler in rendered.All<V2HorizontalPodAutoscaler>())
        {
            var target = rendered.All<V1Deployment>().SingleOrDefault(d => d.Metadata.Name == scaler.Spec.ScaleTargetRef.Name && scaler.Spec.ScaleTargetRef.Kind == "Deployment");
            if (target is null)
            {
                wrong.Add($"HorizontalPodAutoscaler/{scaler.Metadata.Name} scales no Deployment");
            }
            else if (target.Spec.Replicas is not null)
            {
                // A fixed count would be put back on every apply, undoing what the autoscaler decided.
                wrong.Add($"Deployment/{target.Metadata.Name} sets replicas although an autoscaler owns them");
            }
        }

        foreach (var backend in rendered.All<V1Ingress>().SelectMany(i => i.Spec.Rules).SelectMany(r => r.Http.Paths).Select(p => p.Backend.Service))
        {
            var service = rendered.All<V1Service>().SingleOrDefault(s => s.Metadata.Name == backend.Name);
            if (service?.Spec.Ports.Any(p => p.Name == backend.Port.Name || p.Port == backend.Port.Number) != true)
            {
                wrong.Add($"Ingress backend {backend.Name}:{backend.Port.Name ?? backend.Port.Number?.ToString()} does not exist");
            }
        }

        Assert.Empty(wrong);
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_ConfigMap_and_Secret_key_a_manifest_refers_to_exists(string overlay)
    {
        var rendered = Manifests.Of(overlay);
        var configMaps = rendered.All<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => Keys(c.Data));
        var secrets = rendered.All<V1Secret>().Concat(rendered.SecretsToCreate)
            .ToDictionary(s => s.Metadata.Name, s => Keys(s.StringData).Concat(Keys(s.Data)).ToHashSet());
        var missing = new List<string>();
        void Need(Dictionary<string, HashSet<string>> known, string what, string name, string? key, string by)
        {
            if (!known.TryGetValue(name, out var keys))
            {
                missing.Add($"{by}: {what} {name} does not exist");
            }
            else if (key is not null && !keys.Contains(key))
            {
                missing.Add($"{by}: {what} {name} has no key {key}");
            }
        }

        foreach (var workload in rendered.Workloads)
        {
            foreach (var container in workload.Containers)
            {
                var by = $"{workload}: {container.Name}";
                foreach (var from in container.EnvFrom ?? [])
                {
                    if (from.ConfigMapRef is { } configMap) Need(configMaps, "ConfigMap", configMap.Name, null, by);
                    if (from.SecretRef is { } secret) Need(secrets, "Secret", secret.Name, null, by);
                }

                foreach (var env in (container.Env ?? []).Where(e => e.ValueFrom is not null))
                {
                    if (env.ValueFrom.ConfigMapKeyRef is { } configMapKey) Need(configMaps, "ConfigMap", configMapKey.Name, configMapKey.Key, by);
                    if (env.ValueFrom.SecretKeyRef is { } secretKey) Need(secrets, "Secret", secretKey.Name, secretKey.Key, by);
                }
            }

            foreach (var volume in workload.Template.Spec.Volumes ?? [])
            {
                if (volume.Secret is { } secret) Need(secrets, "Secret", secret.SecretName, null, workload.ToString());
                if (volume.ConfigMap is { } configMap) Need(configMaps, "ConfigMap", configMap.Name, null, workload.ToString());
            }
        }

        foreach (var tls in rendered.All<V1Ingress>().SelectMany(i => i.Spec.Tls ?? []))
        {
            Need(secrets, "Secret", tls.SecretName, "tls.crt", "Ingress");
            Need(secrets, "Secret", tls.SecretName, "tls.key", "Ingress");
        }

        foreach (var store in rendered.All<ObjectStore>())
        {
            var credentials = store.Spec.Configuration?.S3Credentials;
            foreach (var selector in new[] { credentials?.AccessKeyId, credentials?.SecretAccessKey }.OfType<V1SecretKeySelector>())
            {
                Need(secrets, "Secret", selector.Name, selector.Key, $"ObjectStore/{store.Metadata.Name}");
            }
        }

        foreach (var user in rendered.All<RabbitmqUser>().Where(u => u.Spec.ImportCredentialsSecret is not null))
        {
            Need(secrets, "Secret", user.Spec.ImportCredentialsSecret!.Name, "username", $"User/{user.Metadata.Name}");
            Need(secrets, "Secret", user.Spec.ImportCredentialsSecret!.Name, "password", $"User/{user.Metadata.Name}");
        }

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Ports_are_unique_in_every_pod_and_every_Service(string overlay)
    {
        var rendered = Manifests.Of(overlay);
        var duplicates = new List<string>();
        foreach (var workload in rendered.Workloads)
        {
            var ports = workload.Containers.SelectMany(c => c.Ports ?? []).ToList();
            duplicates.AddRange(Duplicates(ports.Select(p => p.ContainerPort.ToString())).Select(p => $"{workload}: port {p}"));
            duplicates.AddRange(Duplicates(ports.Where(p => p.Name is not null).Select(p => p.Name)).Select(p => $"{workload}: port name {p}"));
        }

        foreach (var service in rendered.All<V1Service>())
        {
            duplicates.AddRange(Duplicates(service.Spec.Ports.Select(p => p.Port.ToString())).Select(p => $"Service/{service.Metadata.Name}: port {p}"));
            duplicates.AddRange(Duplicates(service.Spec.Ports.Select(p => p.Name)).Select(p => $"Service/{service.Metadata.Name}: port name {p}"));
        }

        // Pods on the host's network share its ports: no two listen on the same one.
        var onHost = rendered.Workloads.Where(w => w.Template.Spec.HostNetwork == true)
            .SelectMany(w => w.Containers.SelectMany(c => c.Env ?? []).Where(e => e.Name.StartsWith("Kestrel__Endpoints__", StringComparison.Ordinal) && e.Name.EndsWith("__Url", StringComparison.Ordinal)))
            .Select(e => new Uri(e.Value).Port.ToString());
        duplicates.AddRange(Duplicates(onHost).Select(p => $"host network: port {p} twice"));

        Assert.Empty(duplicates);
    }

    [Theory]
    [MemberData(nameof(Overlays.WithServices), MemberType = typeof(Overlays))]
    public void Every_service_names_its_REST_and_gRPC_ports_or_listens_on_its_own_loopback_ports(string overlay)
    {
        var rendered = Manifests.Of(overlay);
        foreach (var deployment in rendered.Services)
        {
            var container = deployment.Spec.Template.Spec.Containers.Single();
            if (deployment.Spec.Template.Spec.HostNetwork == true)
            {
                var urls = container.Env.Where(e => e.Name is "Kestrel__Endpoints__Rest__Url" or "Kestrel__Endpoints__Grpc__Url").Select(e => new Uri(e.Value)).ToList();
                Assert.Equal(2, urls.Count);
                Assert.All(urls, url => Assert.True(url.IsLoopback, $"{deployment.Metadata.Name} listens on {url}, not on loopback"));
            }
            else
            {
                Assert.Equal(["grpc", "metrics", "rest"], container.Ports.Select(p => p.Name).Order());
                var service = rendered.All<V1Service>().Single(s => s.Metadata.Name == deployment.Metadata.Name);
                Assert.Equal(["grpc", "rest"], service.Spec.Ports.Select(p => p.Name).Order());
                Assert.Equal("kubernetes.io/h2c", service.Spec.Ports.Single(p => p.Name == "grpc").AppProtocol);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.WithServices), MemberType = typeof(Overlays))]
    public void The_portal_serves_its_pages_and_calls_each_service_at_that_services_gRPC_port(string overlay)
    {
        var rendered = Manifests.Of(overlay);
        var container = rendered.Portal.Spec.Template.Spec.Containers.Single();
        string Setting(string name) => container.Env.Single(e => e.Name == name).Value ?? "";

        foreach (var (setting, service) in new[] { ("Portal__Identity", "identity"), ("Portal__Recognition", "recognition"), ("Portal__Accounts", "accounts"), ("Portal__Conversion", "conversion"),
            ("Portal__Credentials", "credentials") })
        {
            var target = new Uri(Setting(setting));
            var deployment = rendered.Services.Single(d => d.Metadata.Name == service);
            if (deployment.Spec.Template.Spec.HostNetwork == true)
            {
                // On one machine: the service's own loopback gRPC port.
                Assert.Equal(new Uri(deployment.Spec.Template.Spec.Containers.Single().Env.Single(e => e.Name == "Kestrel__Endpoints__Grpc__Url").Value), target);
            }
            else
            {
                // In a cluster: the service's Service, at its grpc port (plain HTTP/2 inside the cluster).
                var grpc = rendered.All<V1Service>().Single(s => s.Metadata.Name == service).Spec.Ports.Single(p => p.Name == "grpc");
                Assert.Equal(("http", service, grpc.Port), (target.Scheme, target.Host, target.Port));
            }
        }

        if (rendered.Portal.Spec.Template.Spec.HostNetwork == true)
        {
            var rest = new Uri(Setting("Kestrel__Endpoints__Rest__Url"));
            Assert.True(rest.IsLoopback, $"the portal listens on {rest}, not on loopback");
            // Identity registers the portal's callbacks under the address it is served at; plain HTTP only here.
            Assert.Equal(rest, new Uri(rendered.Config["Identity__PortalUrl"]));
            Assert.Equal("true", Setting("Portal__AllowHttp"));
            // podman 4.3 lets the ConfigMap win over a container's own env: none of the portal's own settings may be in it.
            Assert.DoesNotContain(container.Env, e => rendered.Config.ContainsKey(e.Name));
        }
        else
        {
            Assert.Equal(["metrics", "rest"], container.Ports.Select(p => p.Name).Order());
            var service = rendered.All<V1Service>().Single(s => s.Metadata.Name == Rendered.PortalName);
            Assert.Equal(["rest"], service.Spec.Ports.Select(p => p.Name));
            Assert.DoesNotContain(container.Env, e => e.Name == "Portal__AllowHttp");
        }

        // People sign in at the issuer every token names (an empty Portal:Authority falls back to Identity:Issuer).
        Assert.Equal("", Setting("Portal__Authority"));
        Assert.False(rendered.Config.ContainsKey("Portal__Authority"));
    }

    [Theory]
    [MemberData(nameof(Overlays.WithServices), MemberType = typeof(Overlays))]
    public void The_services_validate_tokens_against_the_issuer_identity_names(string overlay)
    {
        var config = Manifests.Of(overlay).Config;

        var issuer = new Uri(config["Identity__Issuer"]);
        Assert.Equal(config["Identity__Issuer"], config["Authentication__Authority"]);
        Assert.EndsWith("/", issuer.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(overlay == Overlays.Local ? "http" : "https", issuer.Scheme);
        // Identity validates its own tokens in process: it must not call itself.
        var identity = Manifests.Of(overlay).Services.Single(d => d.Metadata.Name == "identity").Spec.Template.Spec.Containers.Single();
        Assert.Equal("", identity.Env.Single(e => e.Name == "Authentication__Authority").Value ?? "");
    }

    [Theory]
    [MemberData(nameof(Overlays.WithServices), MemberType = typeof(Overlays))]
    public void Credentials_are_issued_under_a_URL_that_reaches_the_credentials_service(string overlay)
    {
        var rendered = Manifests.Of(overlay);
        var publicBase = new Uri(rendered.Config["Credentials__PublicBaseUrl"]);
        var credentials = rendered.Services.Single(d => d.Metadata.Name == "credentials");
        if (credentials.Spec.Template.Spec.HostNetwork == true)
        {
            // On one machine verifiers reach its REST port on loopback.
            var rest = credentials.Spec.Template.Spec.Containers.Single().Env.Single(e => e.Name == "Kestrel__Endpoints__Rest__Url").Value;
            Assert.Equal(new Uri(rest), publicBase);
        }
        else
        {
            // In a cluster, through the ingress (which paths: Production).
            Assert.Equal("https", publicBase.Scheme);
            Assert.Contains(rendered.All<V1Ingress>().SelectMany(i => i.Spec.Rules).Where(r => r.Host == publicBase.Host).SelectMany(r => r.Http.Paths),
                p => p.Backend.Service.Name == "credentials" && p.Backend.Service.Port.Name == "rest");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void No_manifest_holds_the_first_administrators_password_itself(string overlay)
    {
        var rendered = Manifests.Of(overlay);

        var literals = rendered.Workloads.SelectMany(w => w.Containers).SelectMany(c => c.Env ?? [])
            .Where(e => e.Name == "Identity__Bootstrap__AdministratorPassword" && e.ValueFrom?.SecretKeyRef is null)
            .Select(e => e.Name)
            .Concat(rendered.All<V1ConfigMap>().SelectMany(c => Keys(c.Data)).Where(k => k.Contains("AdministratorPassword", StringComparison.OrdinalIgnoreCase)));
        Assert.Empty(literals);
    }

    [Theory]
    [MemberData(nameof(Overlays.WithTheirMigrations), MemberType = typeof(Overlays))]
    public void Each_release_migrates_once_in_a_Job_with_its_own_image_and_the_serving_pods_never_migrate(string overlay, string migrations)
    {
        var services = Manifests.Of(overlay);
        var jobs = Manifests.Of(migrations).All<V1Job>().ToList();
        Assert.NotEmpty(services.Services);
        foreach (var deployment in services.Services)
        {
            var name = deployment.Metadata.Name;
            var section = $"Databases__{char.ToUpperInvariant(name[0])}{name[1..]}";
            var serving = deployment.Spec.Template.Spec.Containers.Single();
            Assert.Equal("false", services.Config[$"{section}__MigrateOnStart"]);
            Assert.DoesNotContain(serving.Env, e => e.Name.StartsWith($"{section}__Migrate", StringComparison.Ordinal));

            var job = Assert.Single(jobs, j => j.Metadata.Name == $"{name}-migrate");
            var migrate = job.Spec.Template.Spec.Containers.Single();
            Assert.Equal(serving.Image, migrate.Image);
            Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
            Assert.Contains(migrate.Env, e => e.Name == $"{section}__MigrateAndExit" && e.Value == "true");
            // The Job reaches the same database, with the same secrets, as the service.
            Assert.Equal(
                serving.Env.Single(e => e.Name == $"{section}__ConnectionString").ValueFrom.SecretKeyRef.Name,
                migrate.Env.Single(e => e.Name == $"{section}__ConnectionString").ValueFrom.SecretKeyRef.Name);
            Assert.Equal(services.Config[$"{section}__Provider"], migrate.Env.Single(e => e.Name == $"{section}__Provider").Value);
        }
    }

    public static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);

    private static HashSet<string> Keys<T>(IDictionary<string, T>? data) => data?.Keys.ToHashSet() ?? [];

    private static IEnumerable<string> Duplicates(IEnumerable<string> values) => values.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key);
}
