using System.Reflection;
using Xunit.Sdk;

namespace Jobs.Tests.Infrastructure;

/// <summary>Runs a theory once per database provider of this run.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class AllProvidersAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => TestDatabases.Providers.Select(p => new object[] { p });
}
