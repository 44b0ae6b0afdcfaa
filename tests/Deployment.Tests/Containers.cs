using CreditBank.Deployment.Tests.CustomResources;
using k8s.Models;

namespace CreditBank.Deployment.Tests;

/// <summary>What every container of every overlay must be: probed, sized, pinned, unprivileged.</summary>
public sealed class Containers
{
    [Theory]
    [MemberData(nameof(Overlays.ForAKubernetesCluster), MemberType = typeof(Overlays))]
    public void Every_long_running_container_has_a_readiness_and_a_liveness_probe(string overlay)
    {
        var missing = Manifests.Of(overlay).Workloads.Where(w => w.Serves)
            .SelectMany(w => w.Template.Spec.Containers.Select(c => (Workload: w, Container: c)))
            .Where(x => x.Container.ReadinessProbe is null || x.Container.LivenessProbe is null)
            .Select(x => $"{x.Workload}: {x.Container.Name}");

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Overlays.ForAKubernetesCluster), MemberType = typeof(Overlays))]
    public void Every_probe_targets_a_port_its_container_declares(string overlay)
    {
        var wrong = new List<string>();
        foreach (var workload in Manifests.Of(overlay).Workloads)
        {
            foreach (var container in workload.Containers)
            {
                var ports = container.Ports ?? [];
                foreach (var (kind, probe) in Probes(container))
                {
                    var declared = probe switch
                    {
                        { Grpc: { } grpc } => ports.Any(p => p.ContainerPort == grpc.Port),
                        { HttpGet: { } http } => Declares(ports, http.Port),
                        { TcpSocket: { } tcp } => Declares(ports, tcp.Port),
                        _ => false,   // an exec probe needs a shell, and the bank's images have none
                    };
                    if (!declared)
                    {
                        wrong.Add($"{workload}: {container.Name} {kind}");
                    }
                }
            }
        }

        Assert.Empty(wrong);
    }

    [Theory]
    [MemberData(nameof(Overlays.ForAKubernetesCluster), MemberType = typeof(Overlays))]
    public void Every_service_is_ready_by_its_overall_health_and_alive_by_its_liveness_health(string overlay)
    {
        foreach (var deployment in Manifests.Of(overlay).Services)
        {
            var container = deployment.Spec.Template.Spec.Containers.Single();
            var grpcPort = container.Ports.Single(p => p.Name == "grpc").ContainerPort;

            // Readiness: the overall status (""), NOT_SERVING while the database or the broker is unreachable.
            Assert.Equal(grpcPort, container.ReadinessProbe.Grpc?.Port);
            Assert.True(string.IsNullOrEmpty(container.ReadinessProbe.Grpc?.Service), $"{deployment.Metadata.Name}: readiness names a service");
            // Liveness (and start-up): "liveness", SERVING while the process runs — a broker outage restarts nothing.
            Assert.Equal(("liveness", grpcPort), (container.LivenessProbe.Grpc?.Service, container.LivenessProbe.Grpc?.Port));
            Assert.Equal(("liveness", grpcPort), (container.StartupProbe?.Grpc?.Service, container.StartupProbe?.Grpc?.Port));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.ForAKubernetesCluster), MemberType = typeof(Overlays))]
    public void The_portal_is_ready_and_alive_by_its_own_process_on_its_pages_port(string overlay)
    {
        var container = Manifests.Of(overlay).Portal.Spec.Template.Spec.Containers.Single();

        // Readiness counts only the process's own checks: an identity outage does not take the pages away.
        Assert.Equal(("/health/ready", "rest"), (container.ReadinessProbe.HttpGet?.Path, container.ReadinessProbe.HttpGet?.Port.Value));
        Assert.Equal(("/health/live", "rest"), (container.LivenessProbe.HttpGet?.Path, container.LivenessProbe.HttpGet?.Port.Value));
        Assert.Equal(("/health/live", "rest"), (container.StartupProbe?.HttpGet?.Path, container.StartupProbe?.HttpGet?.Port.Value));
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_container_requests_cpu_and_memory_and_has_a_memory_limit(string overlay)
    {
        var rendered = Manifests.Of(overlay);
        IEnumerable<(string Owner, V1ResourceRequirements? Resources)> sized = [
            .. rendered.Workloads.SelectMany(w => w.Containers.Select(c => ($"{w}: {c.Name}", (V1ResourceRequirements?)c.Resources))),
            .. rendered.All<PostgresCluster>().Select(c => ($"Cluster/{c.Metadata.Name}", c.Spec.Resources)),
            .. rendered.All<RabbitmqCluster>().Select(c => ($"RabbitmqCluster/{c.Metadata.Name}", c.Spec.Resources))];
        var unsized = sized.Where(x => x.Resources?.Requests is not { } requests || !requests.ContainsKey("cpu") || !requests.ContainsKey("memory")
                || x.Resources.Limits is not { } limits || !limits.ContainsKey("memory"))
            .Select(x => x.Owner);

        Assert.Empty(unsized);
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_image_is_pinned_to_a_tag_or_a_digest(string overlay)
    {
        var rendered = Manifests.Of(overlay);
        List<(string Owner, string? Image)> images = [
            .. rendered.Workloads.SelectMany(w => w.Containers.Select(c => ($"{w}: {c.Name}", (string?)c.Image))),
            .. rendered.All<PostgresCluster>().Select(c => ($"Cluster/{c.Metadata.Name}", c.Spec.ImageName)),
            .. rendered.All<RabbitmqCluster>().Select(c => ($"RabbitmqCluster/{c.Metadata.Name}", c.Spec.Image))];

        Assert.NotEmpty(images);
        Assert.Empty(images.Where(x => !IsPinned(x.Image)).Select(x => $"{x.Owner}: {x.Image ?? "(none)"}"));
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_container_runs_as_a_user_other_than_root_on_a_read_only_root_filesystem(string overlay)
    {
        var wrong = new List<string>();
        foreach (var workload in Manifests.Of(overlay).Workloads)
        {
            var pod = workload.Template.Spec.SecurityContext;
            foreach (var container in workload.Containers)
            {
                var own = container.SecurityContext;
                var nonRoot = own?.RunAsNonRoot ?? pod?.RunAsNonRoot;
                var user = own?.RunAsUser ?? pod?.RunAsUser;
                if (nonRoot != true || user is 0 || own?.ReadOnlyRootFilesystem != true || own.AllowPrivilegeEscalation != false
                    || own.Capabilities?.Drop?.Contains("ALL") != true)
                {
                    wrong.Add($"{workload}: {container.Name} (runAsNonRoot {nonRoot}, runAsUser {user}, readOnlyRootFilesystem " +
                        $"{own?.ReadOnlyRootFilesystem}, allowPrivilegeEscalation {own?.AllowPrivilegeEscalation})");
                }
            }
        }

        Assert.Empty(wrong);
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void A_read_only_container_writes_only_to_an_emptyDir_at_tmp_or_data(string overlay)
    {
        var wrong = new List<string>();
        foreach (var workload in Manifests.Of(overlay).Workloads)
        {
            var emptyDirs = (workload.Template.Spec.Volumes ?? []).Where(v => v.EmptyDir is not null).Select(v => v.Name).ToHashSet();
            foreach (var container in workload.Containers)
            {
                var writable = (container.VolumeMounts ?? []).Where(m => m.ReadOnlyProperty != true).ToList();
                if (writable.Count == 0 || writable.Any(m => !emptyDirs.Contains(m.Name) || m.MountPath is not ("/tmp" or "/data")))
                {
                    wrong.Add($"{workload}: {container.Name}");
                }
            }
        }

        Assert.Empty(wrong);
    }

    private static IEnumerable<(string Kind, V1Probe Probe)> Probes(V1Container container) =>
        new[] { ("startupProbe", container.StartupProbe), ("livenessProbe", container.LivenessProbe), ("readinessProbe", container.ReadinessProbe) }
            .Where(p => p.Item2 is not null)!;

    private static bool Declares(IList<V1ContainerPort> ports, IntOrString port) =>
        int.TryParse(port.Value, out var number) ? ports.Any(p => p.ContainerPort == number) : ports.Any(p => p.Name == port.Value);

    /// <summary>A digest, or a tag that is not <c>latest</c>.</summary>
    public static bool IsPinned(string? image)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            return false;
        }

        if (image.Contains("@sha256:", StringComparison.Ordinal))
        {
            return true;
        }

        var name = image[(image.LastIndexOf('/') + 1)..];
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && name[(colon + 1)..] is { Length: > 0 } tag && tag != "latest";
    }
}
