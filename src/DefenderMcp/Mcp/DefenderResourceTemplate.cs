using System.Text;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Mcp;

/// <summary>
/// A resource template of the form <c>scheme://path/{name}</c>, read as JSON text. The SDK's attribute-based resources
/// build a NonBacktracking regex for every template when the server is constructed, a large part of our start-up;
/// these templates are all one fixed prefix and one variable, so they match as the SDK's regex would
/// (<c>^prefix(?&lt;name&gt;[^/?&amp;#]*)$</c>, ignoring ASCII case) with a prefix comparison, and hand the variable
/// on percent-decoded. Everything else (resources/templates/list, the read dispatch, the "Unknown resource URI"
/// error, the read filters) stays the SDK's.
/// </summary>
public sealed class DefenderResourceTemplate : McpServerResource
{
    private const string VariableCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

    private readonly ResourceTemplate _template;
    private readonly string _prefix;
    private readonly Func<string, RequestContext<ReadResourceRequestParams>, CancellationToken, ValueTask<string>> _read;

    /// <summary>Creates the template; <paramref name="read"/> answers with the JSON text for one variable value.</summary>
    public DefenderResourceTemplate(ResourceTemplate template, Func<string, RequestContext<ReadResourceRequestParams>, CancellationToken, ValueTask<string>> read)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(read);
        var open = template.UriTemplate.IndexOf('{', StringComparison.Ordinal);
        if (open <= 0 || template.UriTemplate.IndexOf('}', StringComparison.Ordinal) != template.UriTemplate.Length - 1 ||
            template.UriTemplate.AsSpan(open + 1, template.UriTemplate.Length - open - 2).IndexOfAnyExcept(VariableCharacters) >= 0)
        {
            throw new ArgumentException("Only templates of a fixed prefix and one trailing simple variable are supported.", nameof(template));
        }

        _template = template;
        _prefix = template.UriTemplate[..open];
        _read = read;
    }

    /// <inheritdoc />
    public override ResourceTemplate ProtocolResourceTemplate => _template;

    /// <inheritdoc />
    public override IReadOnlyList<object> Metadata => [];

    /// <inheritdoc />
    public override bool IsMatch(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.Length >= _prefix.Length && Ascii.EqualsIgnoreCase(uri.AsSpan(0, _prefix.Length), _prefix) &&
            uri.AsSpan(_prefix.Length).IndexOfAny("/?&#") < 0;
    }

    /// <inheritdoc />
    public override async ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.Params?.Uri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        cancellationToken.ThrowIfCancellationRequested();
        if (!IsMatch(uri))
        {
            throw new InvalidOperationException($"Resource '{_template.UriTemplate}' does not match the provided URI '{uri}'.");
        }

        var text = await _read(Uri.UnescapeDataString(uri[_prefix.Length..]), request, cancellationToken).ConfigureAwait(false);
        return new ReadResourceResult { Contents = [new TextResourceContents { Uri = uri, MimeType = _template.MimeType, Text = text }] };
    }
}
