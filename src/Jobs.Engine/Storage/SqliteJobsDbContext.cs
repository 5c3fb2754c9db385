using Microsoft.EntityFrameworkCore;

namespace Jobs.Storage;

/// <summary>The SQLite flavour of the schema; its own type so that it owns its own migrations.</summary>
internal sealed class SqliteJobsDbContext(DbContextOptions<SqliteJobsDbContext> options) : JobsDbContext(options);
