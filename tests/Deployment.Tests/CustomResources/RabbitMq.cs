using k8s.Models;

namespace CreditBank.Deployment.Tests.CustomResources;

// RabbitMQ Cluster Operator (rabbitmq.com/v1beta1 RabbitmqCluster) and Messaging Topology Operator (User, Permission):
// the fields k8s/overlays/prod/rabbitmq.yaml sets.

/// <summary>A RabbitMQ cluster (rabbitmq.com/v1beta1 RabbitmqCluster).</summary>
public sealed class RabbitmqCluster : CustomResource<RabbitmqClusterSpec>
{
    /// <summary>The label the operator puts on the cluster's pods (what NetworkPolicies select).</summary>
    public IDictionary<string, string> PodLabels => new Dictionary<string, string> { ["app.kubernetes.io/name"] = Metadata.Name };
}

public sealed class RabbitmqClusterSpec
{
    public int? Replicas { get; set; }

    public string? Image { get; set; }

    public V1ResourceRequirements? Resources { get; set; }

    public RabbitmqPersistence? Persistence { get; set; }

    public RabbitmqConfiguration? Rabbitmq { get; set; }

    public V1Affinity? Affinity { get; set; }
}

public sealed class RabbitmqPersistence
{
    public string? StorageClassName { get; set; }

    public ResourceQuantity? Storage { get; set; }
}

public sealed class RabbitmqConfiguration
{
    public string? AdditionalConfig { get; set; }

    public List<string>? AdditionalPlugins { get; set; }
}

/// <summary>A broker user (rabbitmq.com/v1beta1 User); its credentials Secret holds <c>username</c> and <c>password</c>.</summary>
public sealed class RabbitmqUser : CustomResource<RabbitmqUserSpec>;

public sealed class RabbitmqUserSpec
{
    public List<string>? Tags { get; set; }

    public NameReference? RabbitmqClusterReference { get; set; }

    public NameReference? ImportCredentialsSecret { get; set; }
}

/// <summary>A user's permissions on a vhost (rabbitmq.com/v1beta1 Permission).</summary>
public sealed class RabbitmqPermission : CustomResource<RabbitmqPermissionSpec>;

public sealed class RabbitmqPermissionSpec
{
    public string? Vhost { get; set; }

    public string? User { get; set; }

    public NameReference? UserReference { get; set; }

    public RabbitmqPermissions? Permissions { get; set; }

    public NameReference? RabbitmqClusterReference { get; set; }
}

public sealed class RabbitmqPermissions
{
    public string? Configure { get; set; }

    public string? Write { get; set; }

    public string? Read { get; set; }
}
