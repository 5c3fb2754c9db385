namespace Jobs.Storage.Model;

/// <summary>A row of the <c>job_leases</c> table: who holds a named lease and until when. A pool leads maintenance while it
/// holds the <c>maintenance</c> lease; it renews the lease each turn, and a lease not renewed by its expiry is free to take.</summary>
internal sealed class LeaseRecord
{
    public string Name { get; set; } = "";

    /// <summary>The pool holding the lease; null after it resigned.</summary>
    public string? Holder { get; set; }

    public DateTime ExpiresAt { get; set; }
}
