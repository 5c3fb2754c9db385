using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Jobs.Storage.Model;

/// <summary>The schema shared by every provider. Column names are snake_case so hand-written SQL reads the same everywhere.</summary>
internal class JobsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<JobRecord> Jobs => Set<JobRecord>();
    public DbSet<JobEventRecord> JobEvents => Set<JobEventRecord>();
    public DbSet<PoolRecord> Pools => Set<PoolRecord>();
    public DbSet<LeaseRecord> Leases => Set<LeaseRecord>();
    public DbSet<DataMigrationRecord> DataMigrations => Set<DataMigrationRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is stored as UTC; reading it back must say so, or comparisons with DateTimeOffset shift by the local offset.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<JobRecord>(b =>
        {
            b.ToTable("jobs");
            b.HasKey(j => j.Id);
            b.Property(j => j.Id).HasColumnName("id").ValueGeneratedOnAdd();
            b.Property(j => j.Type).HasColumnName("type").HasMaxLength(200).IsRequired();
            b.Property(j => j.Queue).HasColumnName("queue").HasMaxLength(200).IsRequired();
            b.Property(j => j.Payload).HasColumnName("payload");
            b.Property(j => j.Priority).HasColumnName("priority");
            b.Property(j => j.RunAt).HasColumnName("run_at");
            b.Property(j => j.ScheduledAt).HasColumnName("scheduled_at");
            b.Property(j => j.IntervalMs).HasColumnName("interval_ms");
            b.Property(j => j.Status).HasColumnName("status");
            b.Property(j => j.MaxRetries).HasColumnName("max_retries");
            b.Property(j => j.Attempt).HasColumnName("attempt");
            b.Property(j => j.PoolId).HasColumnName("pool_id").HasMaxLength(100);
            b.Property(j => j.StartedAt).HasColumnName("started_at");
            b.Property(j => j.FinishedAt).HasColumnName("finished_at");
            b.Property(j => j.CreatedAt).HasColumnName("created_at");
            b.Property(j => j.LastErrorType).HasColumnName("last_error_type").HasMaxLength(500);
            b.Property(j => j.LastErrorMessage).HasColumnName("last_error_message");
            b.Property(j => j.LastErrorStackTrace).HasColumnName("last_error_stack_trace");
            b.Property(j => j.CancelRequested).HasColumnName("cancel_requested");
            b.Property(j => j.PauseRequested).HasColumnName("pause_requested");
            b.Property(j => j.UniqueKey).HasColumnName("unique_key").HasMaxLength(200);
            b.Property(j => j.ProgressPercent).HasColumnName("progress_percent");
            b.Property(j => j.ProgressMessage).HasColumnName("progress_message").HasMaxLength(500);
            b.Property(j => j.TraceParent).HasColumnName("trace_parent").HasMaxLength(StoredText.TraceParentMax);
            b.Property(j => j.TraceState).HasColumnName("trace_state").HasMaxLength(StoredText.TraceStateMax);
            ConfigureVersion(b.Property(j => j.Version).HasColumnName("version"));

            // The fetcher's candidate scan: ready jobs in claim order.
            b.HasIndex(j => new { j.Status, j.Priority, j.RunAt, j.Id }).IsDescending(false, true, false, false).HasDatabaseName("ix_jobs_claim");
            // Heartbeat and rescuer: executing jobs of one pool.
            b.HasIndex(j => new { j.PoolId, j.Status }).HasDatabaseName("ix_jobs_pool");
            // Dashboard lists: a filter on status, type or queue, newest first, one page at a time on a million rows.
            b.HasIndex(j => new { j.Type, j.Status, j.Id }).HasDatabaseName("ix_jobs_type");
            b.HasIndex(j => new { j.Queue, j.Status, j.Id }).HasDatabaseName("ix_jobs_queue");
            b.HasIndex(j => new { j.Status, j.Id }).HasDatabaseName("ix_jobs_status");
            b.HasIndex(j => j.Id).HasFilter("interval_ms IS NOT NULL").HasDatabaseName("ix_jobs_recurring");
        });

        modelBuilder.Entity<JobEventRecord>(b =>
        {
            b.ToTable("job_events");
            b.HasKey(e => e.Id);
            b.Property(e => e.Id).HasColumnName("id").ValueGeneratedOnAdd();
            b.Property(e => e.JobId).HasColumnName("job_id");
            b.Property(e => e.At).HasColumnName("at");
            b.Property(e => e.Kind).HasColumnName("kind");
            b.Property(e => e.Attempt).HasColumnName("attempt");
            b.Property(e => e.PoolId).HasColumnName("pool_id").HasMaxLength(100);
            b.Property(e => e.Message).HasColumnName("message");
            b.Property(e => e.ErrorType).HasColumnName("error_type").HasMaxLength(500);
            b.Property(e => e.ErrorMessage).HasColumnName("error_message");
            b.Property(e => e.ErrorStackTrace).HasColumnName("error_stack_trace");
            b.Property(e => e.Actor).HasColumnName("actor").HasMaxLength(StoredText.ActorMax);
            b.HasIndex(e => new { e.JobId, e.Id }).HasDatabaseName("ix_job_events_job");
            b.HasIndex(e => e.Id, "ix_job_events_audit").HasFilter("actor IS NOT NULL"); // The audit log, newest first.
            b.HasIndex(e => e.Id, "ix_job_events_deletions").HasFilter("kind = 7"); // Deleted jobs (JobEventKind.Destroyed).
        });

        modelBuilder.Entity<PoolRecord>(b =>
        {
            b.ToTable("job_pools");
            b.HasKey(p => p.Id);
            b.Property(p => p.Id).HasColumnName("id").HasMaxLength(100);
            b.Property(p => p.Host).HasColumnName("host").HasMaxLength(200);
            b.Property(p => p.ProcessId).HasColumnName("process_id");
            b.Property(p => p.NumWorkers).HasColumnName("num_workers");
            b.Property(p => p.Queues).HasColumnName("queues");
            b.Property(p => p.JobTypes).HasColumnName("job_types");
            b.Property(p => p.StartedAt).HasColumnName("started_at");
            b.Property(p => p.HeartbeatAt).HasColumnName("heartbeat_at");
        });

        modelBuilder.Entity<LeaseRecord>(b =>
        {
            b.ToTable("job_leases");
            b.HasKey(l => l.Name);
            b.Property(l => l.Name).HasColumnName("name").HasMaxLength(100);
            b.Property(l => l.Holder).HasColumnName("holder").HasMaxLength(100);
            b.Property(l => l.ExpiresAt).HasColumnName("expires_at");
        });

        modelBuilder.Entity<DataMigrationRecord>(b =>
        {
            b.ToTable("job_data_migrations");
            b.HasKey(m => m.Name);
            b.Property(m => m.Name).HasColumnName("name").HasMaxLength(100);
            b.Property(m => m.DoneThroughId).HasColumnName("done_through_id");
            b.Property(m => m.LastId).HasColumnName("last_id");
        });
    }

    /// <summary>How the provider stores the version: SQLite keeps a plain integer the engine bumps.</summary>
    protected virtual void ConfigureVersion(PropertyBuilder<long> version)
        => version.IsConcurrencyToken();

    // Written times are cut to whole microseconds, as the engine's own statements do (see StoredTime).
    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => StoredTime.Truncate(v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime()),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
