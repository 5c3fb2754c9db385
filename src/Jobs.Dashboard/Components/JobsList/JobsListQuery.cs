using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace Jobs.Dashboard.Components.JobsList;

/// <summary>What the jobs list shows: filter, order, page and page size. It lives in the URL, so links and reloads keep it;
/// <see cref="Parse"/> and <see cref="Href"/> are each other's inverse for every value the page can produce.</summary>
internal sealed record JobsListQuery
{
    /// <summary>The page sizes offered, besides the configured default.</summary>
    public static readonly IReadOnlyList<int> Sizes = [10, 20, 50, 100, 500, 1000];

    public JobStatus? Status { get; init; }

    /// <summary>A slice of the queued jobs; when set, <see cref="Status"/> is null.</summary>
    public JobsView? View { get; init; }

    public string? Type { get; init; }

    public string? Queue { get; init; }

    public string? Search { get; init; }

    public JobSort Sort { get; init; } = JobSort.Id;

    public bool Descending { get; init; } = true;

    public int Page { get; init; } = 1;

    public int Size { get; init; }

    /// <summary>The configured page size, left out of the URL.</summary>
    public int DefaultSize { get; init; }

    public bool HasFilter => Status is not null || View is not null || Type is not null || Queue is not null || Search is not null;

    public long Skip => ((long)Page - 1) * Size;

    /// <summary>The sizes the selector offers: the standard ones and the configured default, in order.</summary>
    public static IEnumerable<int> SizesWith(int defaultSize) => Sizes.Append(defaultSize).Distinct().Order();

    public static JobsListQuery Parse(string queryString, int defaultSize)
    {
        var q = QueryHelpers.ParseQuery(queryString);
        string? Get(string key) => q.TryGetValue(key, out var v) && v.ToString() is { Length: > 0 } s ? s : null;
        var view = Enum.TryParse<JobsView>(Get("view"), ignoreCase: true, out var v) && Enum.IsDefined(v) ? v : (JobsView?)null;
        var status = view is null && Enum.TryParse<JobStatus>(Get("status"), ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : (JobStatus?)null;

        // "sort=runat&dir=asc"; the older "sort=runat-asc" of links already shared still reads.
        var sortText = Get("sort") ?? "";
        var dirText = Get("dir");
        if (sortText.Split('-') is [var key, var dir])
        {
            sortText = key;
            dirText ??= dir;
        }

        var sort = SortOf(sortText) ?? JobSort.Id;
        var descending = dirText switch
        {
            "asc" => false,
            "desc" => true,
            _ => DefaultDescending(sort),
        };
        var size = int.TryParse(Get("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && SizesWith(defaultSize).Contains(n) ? n : defaultSize;
        return new JobsListQuery
        {
            Status = status,
            View = view,
            Type = Get("type"),
            Queue = Get("queue"),
            Search = Get("q"),
            Sort = sort,
            Descending = descending,
            Page = int.TryParse(Get("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page > 0 ? page : 1,
            Size = size,
            DefaultSize = defaultSize,
        };
    }

    /// <summary>The direction a column sorts in when first clicked: newest and most urgent first, earliest run time first.</summary>
    public static bool DefaultDescending(JobSort sort) => sort is JobSort.Id or JobSort.Priority;

    public static string SortKey(JobSort sort) => sort switch
    {
        JobSort.Id => "id",
        JobSort.RunAt => "runat",
        JobSort.Priority => "priority",
        _ => "claim",
    };

    public static JobSort? SortOf(string key) => key switch
    {
        "id" => JobSort.Id,
        "runat" => JobSort.RunAt,
        "priority" => JobSort.Priority,
        "claim" => JobSort.ClaimOrder,
        _ => null,
    };

    /// <summary>This list sorted by <paramref name="sort"/>: the other direction when it already is, else that column's usual one.</summary>
    public JobsListQuery SortedBy(JobSort sort)
        => this with { Sort = sort, Descending = sort == Sort ? !Descending : DefaultDescending(sort), Page = 1 };

    /// <summary>The list with this filter, order and page, relative to the dashboard root.</summary>
    public string Href()
    {
        var query = new Dictionary<string, string?>();
        if (View is { } view)
        {
            query["view"] = view.ToString();
        }
        else if (Status is { } s)
        {
            query["status"] = s.ToString();
        }

        if (Type is not null)
        {
            query["type"] = Type;
        }

        if (Queue is not null)
        {
            query["queue"] = Queue;
        }

        if (Search is not null)
        {
            query["q"] = Search;
        }

        if (Sort != JobSort.Id || !Descending)
        {
            query["sort"] = SortKey(Sort);
            query["dir"] = Descending ? "desc" : "asc";
        }

        if (Size != DefaultSize)
        {
            query["size"] = Size.ToString(CultureInfo.InvariantCulture);
        }

        if (Page > 1)
        {
            query["page"] = Page.ToString(CultureInfo.InvariantCulture);
        }

        return QueryHelpers.AddQueryString("jobs", query);
    }

    /// <summary>The engine's query for this list; <paramref name="now"/> draws the line between scheduled and due.</summary>
    public JobQuery Filter(DateTimeOffset now, long countLimit, long skip = 0, int take = 50) => new()
    {
        Status = View is null ? Status : JobStatus.Queued,
        RunAtAfter = View == JobsView.Scheduled ? now : null,
        MinAttempt = View == JobsView.Retrying ? 1 : null,
        Type = Type,
        Queue = Queue,
        Search = Search,
        Sort = Sort,
        Descending = Descending,
        Skip = (int)Math.Min(int.MaxValue, skip),
        Take = take,
        CountAtMost = countLimit,
    };

    /// <summary>The filter in words, for the question before a bulk action.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (View is { } view)
        {
            parts.Add(view == JobsView.Scheduled ? "scheduled (queued, due later)" : "retrying (queued after a failed attempt)");
        }
        else if (Status is { } s)
        {
            parts.Add($"status {s}");
        }

        if (Type is not null)
        {
            parts.Add($"type {Type}");
        }

        if (Queue is not null)
        {
            parts.Add($"queue {Queue}");
        }

        if (Search is not null)
        {
            parts.Add($"text \"{Search}\"");
        }

        return parts.Count == 0 ? "(no filter: every job)" : string.Join(", ", parts);
    }
}
