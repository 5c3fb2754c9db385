namespace Jobs.Tests.Infrastructure;

/// <summary>A test of PostgreSQL-only behaviour (LISTEN/NOTIFY, xmin, network partitions). It runs whenever the suite
/// covers PostgreSQL, which CI always does; elsewhere, without <c>JOBS_TEST_POSTGRES</c>, it is skipped.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestDatabases.Providers.Contains(TestDatabases.Postgres))
        {
            Skip = "JOBS_TEST_POSTGRES is not set; ./test.sh starts a throwaway PostgreSQL cluster.";
        }
    }
}
