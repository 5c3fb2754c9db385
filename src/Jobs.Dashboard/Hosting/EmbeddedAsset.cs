using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Jobs.Dashboard.Hosting;

/// <summary>One file the dashboard page loads, served from memory: as Brotli, gzip or as it is, whichever the browser accepts, each
/// compressed once (at the first request for it, or when <see cref="Prepare"/> ran), never per request. MudBlazor's stylesheet
/// alone is 627 KB as it is and 60 KB as Brotli. Under the build's version (<c>?v=</c>) a file never changes, so the browser may
/// keep it for good; under any other URL it asks again each time (with its ETag).</summary>
internal sealed class EmbeddedAsset
{
    private const string Immutable = "public, max-age=31536000, immutable";

    private readonly Representation _identity;
    private readonly Lazy<Representation?> _brotli;
    private readonly Lazy<Representation?> _gzip;

    public EmbeddedAsset(byte[] content, string contentType)
    {
        ContentType = contentType;
        _identity = new Representation(content, null, ETagOf(content, ""));
        _brotli = new(() => Compress("br", s => new BrotliStream(s, CompressionLevel.SmallestSize)));
        _gzip = new(() => Compress("gzip", s => new GZipStream(s, CompressionLevel.SmallestSize)));
    }

    public string ContentType { get; }

    /// <summary>Compresses both forms now, so that the first page load does not wait for it.</summary>
    public void Prepare()
    {
        _ = _brotli.Value;
        _ = _gzip.Value;
    }

    public async Task ServeAsync(HttpContext context, string version)
    {
        var request = context.Request;
        var response = context.Response;
        var chosen = Choose(request.Headers.AcceptEncoding);
        var headers = response.Headers;

        // Whatever was chosen, another Accept-Encoding may get another body: caches must keep them apart.
        headers.Vary = HeaderNames.AcceptEncoding;
        headers.ETag = chosen.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = request.Query["v"] == version ? Immutable : "no-cache";
        if (request.Headers.IfNoneMatch.Contains(chosen.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = ContentType;
        response.ContentLength = chosen.Content.Length;
        if (chosen.Encoding is { } encoding)
        {
            headers.ContentEncoding = encoding;
        }

        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Body.WriteAsync(chosen.Content, context.RequestAborted);
        }
    }

    /// <summary>Brotli before gzip before the file as it is, among what the request accepts (q=0 refuses an encoding).</summary>
    private Representation Choose(Microsoft.Extensions.Primitives.StringValues acceptEncoding)
    {
        if (!StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var accepted) || accepted.Count == 0)
        {
            return _identity;
        }

        double Quality(string coding) => accepted
            .Where(a => a.Value.Equals(coding, StringComparison.OrdinalIgnoreCase) || a.Value.Equals("*", StringComparison.Ordinal))
            .Select(a => a.Quality ?? 1)
            .DefaultIfEmpty(0)
            .Max();

        if (Quality("br") > 0 && _brotli.Value is { } brotli)
        {
            return brotli;
        }

        return Quality("gzip") > 0 && _gzip.Value is { } gzip ? gzip : _identity;
    }

    /// <summary>The compressed form, or null when compressing does not make the file smaller.</summary>
    private Representation? Compress(string encoding, Func<Stream, Stream> compressor)
    {
        using var buffer = new MemoryStream();
        using (var stream = compressor(buffer))
        {
            stream.Write(_identity.Content);
        }

        var content = buffer.ToArray();
        return content.Length < _identity.Content.Length ? new Representation(content, encoding, ETagOf(_identity.Content, "-" + encoding)) : null;
    }

    // Each representation has its own strong ETag: a cache must never answer a gzip request with a Brotli body it validated.
    private static string ETagOf(byte[] content, string suffix) => $"\"{Convert.ToHexString(SHA256.HashData(content))[..32]}{suffix}\"";

    private sealed record Representation(byte[] Content, string? Encoding, string ETag);
}
