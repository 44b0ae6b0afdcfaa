using CreditBank.Deployment.Tests.CustomResources;
using k8s.Models;

namespace CreditBank.Deployment.Tests;

/// <summary>Where Prometheus finds the services' metrics, and that nothing outside the cluster does.</summary>
public sealed class Scraping
{
    [Theory]
    [MemberData(nameof(Overlays.WithServices), MemberType = typeof(Overlays))]
    public void Every_service_and_the_portal_answer_prometheus_on_the_port_their_pod_announces(string overlay)
    {
        var rendered = Manifests.Of(overlay);
        Assert.Equal("true", rendered.Config["Telemetry__Prometheus__Enabled"]);
        foreach (var deployment in rendered.Bank)
        {
            var container = deployment.Spec.Template.Spec.Containers.Single();
            var annotations = deployment.Spec.Template.Metadata.Annotations;
            var url = new Uri(container.Env?.SingleOrDefault(e => e.Name == "Kestrel__Endpoints__Metrics__Url")?.Value ?? rendered.Config["Kestrel__Endpoints__Metrics__Url"]);

            Assert.Equal(("true", "/metrics"), (annotations["prometheus.io/scrape"], annotations["prometheus.io/path"]));
            if (deployment.Spec.Template.Spec.HostNetwork == true)
            {
                Assert.True(url.IsLoopback, $"{deployment.Metadata.Name} answers /metrics on {url}, not on loopback");
            }
            else
            {
                Assert.Equal(url.Port, container.Ports.Single(p => p.Name == "metrics").ContainerPort);
                Assert.Equal(url.Port.ToString(), annotations["prometheus.io/port"]);
            }
        }
    }

    [Fact]
    public void No_Service_or_ingress_publishes_the_metrics_port()
    {
        var prod = Manifests.Of(Overlays.Prod);

        Assert.All(prod.All<V1Service>().Where(s => prod.Bank.Any(d => d.Metadata.Name == s.Metadata.Name)),
            service => Assert.DoesNotContain(service.Spec.Ports, p => p.Name == "metrics" || p.TargetPort?.Value == "metrics" || p.Port == 9464));
        Assert.All(prod.All<V1Ingress>().SelectMany(i => i.Spec.Rules.SelectMany(r => r.Http.Paths)),
            path => Assert.NotEqual("metrics", path.Backend.Service.Port.Name));
    }

    [Fact]
    public void In_production_the_prometheus_operator_scrapes_every_service_and_the_portal_and_traces_go_to_a_collector()
    {
        var prod = Manifests.Of(Overlays.Prod);
        var monitor = Assert.Single(prod.All<PodMonitor>());

        Assert.All(prod.Bank, d => Assert.True(Selects(monitor.Spec.Selector!, d.Spec.Template.Metadata.Labels),
            $"the PodMonitor does not select {d.Metadata.Name}'s pods"));
        // Not the migrations Jobs' pods: they run once and have no metrics port.
        Assert.All(Manifests.Of(Overlays.ProdMigrations).All<V1Job>(), j => Assert.False(Selects(monitor.Spec.Selector!, j.Spec.Template.Metadata.Labels),
            $"the PodMonitor selects {j.Metadata.Name}'s pods"));
        Assert.Equal(["metrics"], monitor.Spec.PodMetricsEndpoints!.Select(e => e.Port));
        Assert.True(Uri.IsWellFormedUriString(prod.Config["Telemetry__Otlp__Endpoint"], UriKind.Absolute));
        Assert.InRange(double.Parse(prod.Config["Telemetry__Traces__SampleRatio"], System.Globalization.CultureInfo.InvariantCulture), 0, 1);
    }

    /// <summary>A label selector's labels and its <c>In</c> / <c>NotIn</c> / <c>Exists</c> / <c>DoesNotExist</c> expressions, all of them.</summary>
    private static bool Selects(V1LabelSelector selector, IDictionary<string, string> labels) =>
        (selector.MatchLabels ?? new Dictionary<string, string>()).All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value)
        && (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
        {
            "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
            "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
            "Exists" => labels.ContainsKey(e.Key),
            "DoesNotExist" => !labels.ContainsKey(e.Key),
            _ => false,
        });
}
