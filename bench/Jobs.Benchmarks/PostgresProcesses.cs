using System.Globalization;

namespace Jobs.Benchmarks;

/// <summary>CPU time of every PostgreSQL server process on this machine, from /proc (Linux): the backends serving the
/// benchmark and the writers behind them (WAL writer, checkpointer), ended backends excepted.</summary>
internal static class PostgresProcesses
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on.

    public static TimeSpan? CpuTime()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        double ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var close = stat.LastIndexOf(')');
                var name = stat[(stat.IndexOf('(') + 1)..close];
                if (name != "postgres")
                {
                    continue;
                }

                // Fields after the name: state is field 3, utime 14, stime 15.
                var fields = stat[(close + 2)..].Split(' ');
                ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
