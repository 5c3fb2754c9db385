namespace Jobs.Execution;

/// <summary>Knows which of the pool's claims may have winners in the database that the pool has not handed out yet. The
/// fetcher and the completer claim independently, so their claims overlap; a stray scan may act only on what every claim
/// that could have committed before its read has already handed out.</summary>
// Invariant: a claim takes its ticket before its statement is sent and ends only after its winners are in the pool's
// unsettled set (or the statement failed). A row the scan read was committed by a claim whose ticket is at most the
// watermark taken after the read; if none of those is still in flight, every such winner is known.
internal sealed class ClaimTracker
{
    private readonly Lock _gate = new();
    private readonly SortedSet<long> _inFlight = [];
    private long _lastTicket;

    /// <summary>Call before sending a claim; pass the ticket to <see cref="End"/> once its winners are handed out.</summary>
    public long Begin()
    {
        lock (_gate)
        {
            var ticket = ++_lastTicket;
            _inFlight.Add(ticket);
            return ticket;
        }
    }

    public void End(long ticket)
    {
        lock (_gate)
        {
            _inFlight.Remove(ticket);
        }
    }

    /// <summary>Take after reading the rows to judge: every claim that could have committed before that read has a ticket
    /// at most this.</summary>
    public long Watermark()
    {
        lock (_gate)
        {
            return _lastTicket;
        }
    }

    /// <summary>True when no claim with a ticket at most <paramref name="watermark"/> is still in flight.</summary>
    public bool AllEndedThrough(long watermark)
    {
        lock (_gate)
        {
            return _inFlight.Count == 0 || _inFlight.Min > watermark;
        }
    }
}
