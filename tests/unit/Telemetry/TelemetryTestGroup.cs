namespace Jobs.Tests.Telemetry;

/// <summary>Runs the metrics tests alone. OpenTelemetry merges every Meter named Jobs of the process into one stream per
/// instrument, and retires that stream when the Meter it first met is disposed: a harness of a parallel test ending would
/// take the measurements of these tests' harnesses with it. An app has one Meter per host, so only tests meet this.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryTestGroup
{
    public const string Name = "telemetry";
}
