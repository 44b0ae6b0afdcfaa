using k8s.Models;

namespace CreditBank.Deployment.Tests.CustomResources;

// Prometheus Operator (monitoring.coreos.com/v1 PodMonitor): the fields k8s/overlays/prod/pod-monitor.yaml sets.

/// <summary>Which pods the Prometheus Operator's Prometheus scrapes, and on which named container port.</summary>
public sealed class PodMonitor : CustomResource<PodMonitorSpec>;

public sealed class PodMonitorSpec
{
    public V1LabelSelector? Selector { get; set; }

    public List<PodMetricsEndpoint>? PodMetricsEndpoints { get; set; }
}

public sealed class PodMetricsEndpoint
{
    public string? Port { get; set; }

    public string? Path { get; set; }

    public string? Interval { get; set; }

    public string? ScrapeTimeout { get; set; }
}
