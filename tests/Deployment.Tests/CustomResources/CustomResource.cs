using k8s;
using k8s.Models;

namespace CreditBank.Deployment.Tests.CustomResources;

/// <summary>
/// A custom resource as far as the bank's manifests use it. The models hold exactly the fields of the operators' CRDs
/// that k8s/ sets (names and types as in the CRDs), so that strict loading refuses a misspelled or misplaced field in a
/// custom resource as it does in a Deployment. A field the CRD has and these models lack is added here when the
/// manifests start using it.
/// </summary>
public abstract class CustomResource<TSpec> : IKubernetesObject<V1ObjectMeta>, ISpec<TSpec>
    where TSpec : new()
{
    public string ApiVersion { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public V1ObjectMeta Metadata { get; set; } = new();

    public TSpec Spec { get; set; } = new();
}

/// <summary>A reference by name, as the CRDs write it (<c>{name: …}</c>).</summary>
public sealed class NameReference
{
    public string Name { get; set; } = string.Empty;
}

/// <summary>The custom resources k8s/ uses, by <c>apiVersion/kind</c>, for <see cref="KubernetesYaml.LoadAllFromString"/>.</summary>
public static class CustomResourceTypes
{
    public static IDictionary<string, Type> Map { get; } = new Dictionary<string, Type>
    {
        ["postgresql.cnpg.io/v1/Cluster"] = typeof(PostgresCluster),
        ["postgresql.cnpg.io/v1/ScheduledBackup"] = typeof(ScheduledBackup),
        ["barmancloud.cnpg.io/v1/ObjectStore"] = typeof(ObjectStore),
        ["rabbitmq.com/v1beta1/RabbitmqCluster"] = typeof(RabbitmqCluster),
        ["rabbitmq.com/v1beta1/User"] = typeof(RabbitmqUser),
        ["rabbitmq.com/v1beta1/Permission"] = typeof(RabbitmqPermission),
    };
}
