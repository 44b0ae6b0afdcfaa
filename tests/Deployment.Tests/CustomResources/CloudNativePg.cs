using k8s.Models;
using YamlDotNet.Serialization;

namespace CreditBank.Deployment.Tests.CustomResources;

// CloudNativePG 1.26+ (postgresql.cnpg.io/v1) and its Barman Cloud plugin (barmancloud.cnpg.io/v1): the fields of
// cluster.spec, scheduledbackup.spec and objectstore.spec that k8s/overlays/prod/postgres.yaml sets.

/// <summary>A PostgreSQL cluster (postgresql.cnpg.io/v1 Cluster).</summary>
public sealed class PostgresCluster : CustomResource<PostgresClusterSpec>
{
    /// <summary>The labels CloudNativePG puts on the cluster's instance pods (what NetworkPolicies select).</summary>
    public IDictionary<string, string> PodLabels => new Dictionary<string, string> { ["cnpg.io/cluster"] = Metadata.Name };
}

public sealed class PostgresClusterSpec
{
    public int? Instances { get; set; }

    public string? ImageName { get; set; }

    public string? PrimaryUpdateStrategy { get; set; }

    public bool? EnableSuperuserAccess { get; set; }

    public PostgresBootstrap? Bootstrap { get; set; }

    public PostgresConfiguration? Postgresql { get; set; }

    public PostgresStorage? Storage { get; set; }

    public PostgresStorage? WalStorage { get; set; }

    public V1ResourceRequirements? Resources { get; set; }

    public PostgresAffinity? Affinity { get; set; }

    public PostgresMonitoring? Monitoring { get; set; }

    public List<PostgresPlugin>? Plugins { get; set; }
}

public sealed class PostgresBootstrap
{
    public PostgresInitDb? Initdb { get; set; }
}

public sealed class PostgresInitDb
{
    public string? Database { get; set; }

    public string? Owner { get; set; }
}

public sealed class PostgresConfiguration
{
    public Dictionary<string, string>? Parameters { get; set; }
}

public sealed class PostgresStorage
{
    public ResourceQuantity? Size { get; set; }

    public string? StorageClass { get; set; }
}

public sealed class PostgresAffinity
{
    public bool? EnablePodAntiAffinity { get; set; }

    public string? TopologyKey { get; set; }
}

public sealed class PostgresMonitoring
{
    public bool? EnablePodMonitor { get; set; }
}

public sealed class PostgresPlugin
{
    public string Name { get; set; } = string.Empty;

    [YamlMember(Alias = "isWALArchiver", ApplyNamingConventions = false)]
    public bool? IsWalArchiver { get; set; }

    public Dictionary<string, string>? Parameters { get; set; }
}

/// <summary>A backup schedule (postgresql.cnpg.io/v1 ScheduledBackup).</summary>
public sealed class ScheduledBackup : CustomResource<ScheduledBackupSpec>;

public sealed class ScheduledBackupSpec
{
    /// <summary>Six fields: seconds first.</summary>
    public string? Schedule { get; set; }

    public string? BackupOwnerReference { get; set; }

    public bool? Immediate { get; set; }

    public string? Method { get; set; }

    public NameReference? PluginConfiguration { get; set; }

    public NameReference? Cluster { get; set; }
}

/// <summary>Where the Barman Cloud plugin archives WAL and base backups (barmancloud.cnpg.io/v1 ObjectStore).</summary>
public sealed class ObjectStore : CustomResource<ObjectStoreSpec>;

public sealed class ObjectStoreSpec
{
    public ObjectStoreConfiguration? Configuration { get; set; }

    public string? RetentionPolicy { get; set; }
}

public sealed class ObjectStoreConfiguration
{
    public string? DestinationPath { get; set; }

    [YamlMember(Alias = "endpointURL", ApplyNamingConventions = false)]
    public string? EndpointUrl { get; set; }

    public S3Credentials? S3Credentials { get; set; }

    public CompressionOptions? Wal { get; set; }

    public CompressionOptions? Data { get; set; }
}

public sealed class S3Credentials
{
    public V1SecretKeySelector? AccessKeyId { get; set; }

    public V1SecretKeySelector? SecretAccessKey { get; set; }
}

public sealed class CompressionOptions
{
    public string? Compression { get; set; }
}
