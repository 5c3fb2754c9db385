using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Jobs.Tests.Infrastructure;

/// <summary>OpenTelemetry's SDK with its in-memory exporter, listening to the engine's Meter and ActivitySource as an app's
/// exporter would. Every Meter named Jobs in the test process reports into the same metrics, so tests tell theirs apart by
/// a type or queue of their own.</summary>
internal sealed class InMemoryTelemetry : IDisposable
{
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly List<Activity> _spans = [];
    private readonly MeterProvider _meterProvider;
    private readonly TracerProvider _tracerProvider;

    public InMemoryTelemetry(params string[] extraSources)
    {
        _meterProvider = Sdk.CreateMeterProviderBuilder().AddMeter("Jobs").AddInMemoryExporter(_metrics).Build();
        _tracerProvider = Sdk.CreateTracerProviderBuilder().AddSource(["Jobs", .. extraSources]).AddInMemoryExporter(_spans).Build();
    }

    /// <summary>Collects now (observable gauges call back) and returns what was exported, cumulative since the start.</summary>
    public List<MetricSnapshot> Collect()
    {
        lock (_metrics)
        {
            _metrics.Clear();
            _meterProvider.ForceFlush();
            return [.. _metrics];
        }
    }

    /// <summary>The spans ended so far whose tag <paramref name="key"/> is <paramref name="value"/>.</summary>
    public List<Activity> Spans(string key, object value)
    {
        lock (_spans)
        {
            return [.. _spans.Where(a => Equals(a.GetTagItem(key), value))];
        }
    }

    public static MetricSnapshot Metric(List<MetricSnapshot> metrics, string name) =>
        Assert.Single(metrics, m => m.Name == name);

    /// <summary>The points of <paramref name="metric"/> with the tag given, each with all its tags.</summary>
    public static List<(MetricPoint Point, Dictionary<string, object?> Tags)> Points(MetricSnapshot metric, string key, object value)
    {
        var points = new List<(MetricPoint, Dictionary<string, object?>)>();
        foreach (var point in metric.MetricPoints)
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            if (tags.TryGetValue(key, out var v) && Equals(v, value))
            {
                points.Add((point, tags));
            }
        }

        return points;
    }

    public void Dispose()
    {
        _tracerProvider.Dispose();
        _meterProvider.Dispose();
    }
}
