using System.Collections.Concurrent;
using System.Diagnostics;
using CreditBank.Deployment.Tests.CustomResources;
using k8s;
using k8s.Models;

namespace CreditBank.Deployment.Tests;

/// <summary>The overlays under k8s/overlays, by the folder names a platform team applies.</summary>
public static class Overlays
{
    public const string Prod = "prod";
    public const string ProdMigrations = "prod/migrations";
    public const string Local = "local";
    public const string LocalMigrations = "local/migrations";

    public static TheoryData<string> All => [Prod, ProdMigrations, Local, LocalMigrations];

    /// <summary>The overlays with the services themselves (the migrations overlays hold only the Jobs).</summary>
    public static TheoryData<string> WithServices => [Prod, Local];

    /// <summary>
    /// What a Kubernetes cluster runs. The local overlay is what podman 4.3's kube play runs: no probes (it ignores them),
    /// no containerPort under host network (it refuses them) — the invariants about probes and declared ports are
    /// about clusters.
    /// </summary>
    public static TheoryData<string> ForAKubernetesCluster => [Prod];

    /// <summary>An overlay and the migrations overlay of the same release.</summary>
    public static TheoryData<string, string> WithTheirMigrations => new() { { Prod, ProdMigrations }, { Local, LocalMigrations } };
}

/// <summary>A pod template and what owns it.</summary>
/// <param name="Serves">A long-running workload (Deployment, StatefulSet) rather than a run-once Job.</param>
public sealed record Workload(string Kind, string Name, V1PodTemplateSpec Template, bool Serves)
{
    public IEnumerable<V1Container> Containers => Template.Spec.Containers.Concat(Template.Spec.InitContainers ?? []);

    public IDictionary<string, string> Labels => Template.Metadata?.Labels ?? new Dictionary<string, string>();

    public override string ToString() => $"{Kind}/{Name}";
}

/// <summary>One overlay rendered by <c>kubectl kustomize</c> and loaded strictly into the Kubernetes object model.</summary>
public sealed class Rendered(string overlay, IReadOnlyList<object> objects, IReadOnlyList<V1Secret> secretsToCreate)
{
    public string Overlay { get; } = overlay;

    public IReadOnlyList<object> Objects { get; } = objects;

    /// <summary>The Secrets made beforehand (secrets.example.yaml of the base and of the overlay), never rendered.</summary>
    public IReadOnlyList<V1Secret> SecretsToCreate { get; } = secretsToCreate;

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public IEnumerable<Workload> Workloads =>
        All<V1Deployment>().Select(d => new Workload("Deployment", d.Metadata.Name, d.Spec.Template, Serves: true))
            .Concat(All<V1StatefulSet>().Select(s => new Workload("StatefulSet", s.Metadata.Name, s.Spec.Template, Serves: true)))
            .Concat(All<V1Job>().Select(j => new Workload("Job", j.Metadata.Name, j.Spec.Template, Serves: false)));

    /// <summary>The labels of every pod this overlay makes run: its own templates, and the operators' pods for its custom resources.</summary>
    public IEnumerable<(string Owner, IDictionary<string, string> Labels)> Pods =>
        Workloads.Select(w => (w.ToString(), w.Labels))
            .Concat(All<PostgresCluster>().Select(c => ($"Cluster/{c.Metadata.Name}", c.PodLabels)))
            .Concat(All<RabbitmqCluster>().Select(c => ($"RabbitmqCluster/{c.Metadata.Name}", c.PodLabels)));

    /// <summary>Our own Deployments (their image is one of the bank's): the services and the portal.</summary>
    public IEnumerable<V1Deployment> Bank => All<V1Deployment>().Where(d => d.Spec.Template.Spec.Containers.Any(c => c.Image.Contains("creditbank/", StringComparison.Ordinal)));

    /// <summary>Our own services' Deployments: each owns a database and answers gRPC (the portal owns nothing and calls them).</summary>
    public IEnumerable<V1Deployment> Services => Bank.Where(d => d.Metadata.Name != PortalName);

    /// <summary>The portal's Deployment (k8s/base/portal.yaml).</summary>
    public V1Deployment Portal => Bank.Single(d => d.Metadata.Name == PortalName);

    public const string PortalName = "portal";

    /// <summary>The shared settings every service reads (ConfigMap creditbank-config, hash suffix and all).</summary>
    public IDictionary<string, string> Config => All<V1ConfigMap>().Single(c => c.Metadata.Name.StartsWith("creditbank-config", StringComparison.Ordinal)).Data;
}

/// <summary>Renders and loads the overlays, once per test run.</summary>
public static class Manifests
{
    private static readonly ConcurrentDictionary<string, Lazy<Rendered>> Cache = new();

    public static string Repository { get; } = FindRepository();

    public static string K8s => Path.Combine(Repository, "k8s");

    public static Rendered Of(string overlay) =>
        Cache.GetOrAdd(overlay, o => new Lazy<Rendered>(() => Render(o), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Strict loading: an unknown field or a wrong type throws; so does a kind without a model.</summary>
    public static List<object> Load(string yaml) => KubernetesYaml.LoadAllFromString(yaml, CustomResourceTypes.Map, strict: true);

    private static Rendered Render(string overlay)
    {
        var folder = Path.Combine(K8s, "overlays", overlay);
        var objects = Load(Kustomize(folder));
        // A migrations overlay uses its parent overlay's Secrets.
        var overlayRoot = Path.Combine(K8s, "overlays", overlay.Split('/')[0]);
        var examples = new[] { Path.Combine(K8s, "base", "secrets.example.yaml"), Path.Combine(overlayRoot, "secrets.example.yaml") }
            .Where(File.Exists)
            .SelectMany(file => Load(File.ReadAllText(file)).Cast<V1Secret>())
            .ToList();
        return new Rendered(overlay, objects, examples);
    }

    /// <summary><c>kubectl kustomize FOLDER</c>; kubectl comes from PATH (scripts/test.sh installs it where it is missing).</summary>
    public static string Kustomize(string folder)
    {
        var kubectl = Environment.GetEnvironmentVariable("CREDITBANK_KUBECTL") is { Length: > 0 } path ? path : "kubectl";
        var start = new ProcessStartInfo(kubectl, ["kustomize", folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{kubectl}' was not found ({e.Message}). The manifests are checked with `kubectl kustomize`: run the tests " +
                "through `make test` (scripts/test.sh installs kubectl where it is missing) or put kubectl ≥ 1.27 on PATH.", e);
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0
                ? output
                : throw new InvalidOperationException($"kubectl kustomize {folder} failed ({process.ExitCode}): {error.Result}");
        }
    }

    private static string FindRepository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CreditBank.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No CreditBank.sln above {AppContext.BaseDirectory}");
    }
}
