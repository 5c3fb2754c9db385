namespace Jobs.Storage.Model;

/// <summary>A row of the <c>job_data_migrations</c> table: how far a rewrite of existing job rows has got. A schema migration
/// inserts the row when rows written before it need rewriting; start-up does the rewrite in id order and records its progress
/// here, so an interrupted rewrite resumes where it stopped and a finished one costs one lookup.</summary>
internal sealed class DataMigrationRecord
{
    public string Name { get; set; } = "";

    /// <summary>Every job with an id up to this one is done.</summary>
    public long DoneThroughId { get; set; }

    /// <summary>The highest job id the rewrite covers: it was the newest job when the schema migration ran, so every later
    /// row was written by code that already writes the new form.</summary>
    public long LastId { get; set; }
}
