using CreditBank.Deployment.Tests.CustomResources;
using k8s.Models;

namespace CreditBank.Deployment.Tests;

/// <summary>Every overlay renders, and loads into the Kubernetes object model with nothing unknown in it.</summary>
public sealed class StrictLoading
{
    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_overlay_renders_and_loads_strictly_into_the_object_model(string overlay)
    {
        var rendered = Manifests.Of(overlay);

        Assert.NotEmpty(rendered.Objects);
        Assert.All(rendered.Objects, o => Assert.IsAssignableFrom<k8s.IKubernetesObject<V1ObjectMeta>>(o));
        Assert.All(rendered.Objects.Cast<k8s.IKubernetesObject<V1ObjectMeta>>(), o => Assert.False(string.IsNullOrEmpty(o.Metadata.Name), $"{o.Kind} without a name"));
    }

    [Fact]
    public void The_production_overlay_holds_the_services_the_portal_and_the_services_stores()
    {
        var prod = Manifests.Of(Overlays.Prod);

        Assert.Equal(["accounts", "conversion", "credentials", "identity", "portal", "recognition"], prod.Bank.Select(d => d.Metadata.Name).Order());
        Assert.Equal(["accounts-db", "conversion-db", "credentials-db", "identity-db", "recognition-db"], prod.All<PostgresCluster>().Select(c => c.Metadata.Name).Order());
        Assert.Single(prod.All<RabbitmqCluster>());
        Assert.Contains(prod.All<V1StatefulSet>(), s => s.Metadata.Name == "valkey-replica");
    }

    [Fact]
    public void A_misspelled_field_in_a_Deployment_is_refused()
    {
        var yaml = Manifests.Kustomize(Path.Combine(Manifests.K8s, "overlays", Overlays.Prod))
            .Replace("readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true", StringComparison.Ordinal);

        Assert.ThrowsAny<Exception>(() => Manifests.Load(yaml));
    }

    [Fact]
    public void A_misspelled_field_in_a_custom_resource_is_refused()
    {
        var yaml = Manifests.Kustomize(Path.Combine(Manifests.K8s, "overlays", Overlays.Prod))
            .Replace("enablePodAntiAffinity: true", "enablePodAntiAfinity: true", StringComparison.Ordinal);

        Assert.ThrowsAny<Exception>(() => Manifests.Load(yaml));
    }

    [Fact]
    public void A_kind_nobody_modelled_is_refused()
    {
        const string yaml = "apiVersion: example.org/v1\nkind: Unknown\nmetadata: {name: x}\n";

        Assert.ThrowsAny<Exception>(() => Manifests.Load(yaml));
    }
}
