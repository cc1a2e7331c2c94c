namespace DefenderMcp.Client.Parsing;

/// <summary>
/// The paging links of one list call. <c>@odata.nextLink</c> is followed until it is absent, as the Graph and MDE docs
/// say, even across a page that is empty (the service may send one); but a link already followed in this call, or a
/// run of <see cref="MaxEmptyPagesInARow"/> pages that add nothing, ends the list, so an upstream that links back to
/// itself or round a ring of empty pages cannot spend the tenant's whole quota on one call. A chain of pages with
/// items is bounded by the call's limit.
/// </summary>
internal sealed class PageLinks
{
    /// <summary>Empty pages in a row after which a list ends whatever link the last one carries.</summary>
    public const int MaxEmptyPagesInARow = 3;

    private readonly HashSet<string> _followed = new(StringComparer.Ordinal);
    private int _emptyInARow;

    /// <summary>Starts with the list's first request, which a link back to it must not repeat.</summary>
    public PageLinks(Uri first)
    {
        ArgumentNullException.ThrowIfNull(first);
        _followed.Add(first.AbsoluteUri);
    }

    /// <summary>
    /// Notes a page of <paramref name="items"/> and returns <paramref name="link"/> when it is to be followed, or null
    /// when the list ends here.
    /// </summary>
    public Uri? Next(Uri? link, int items)
    {
        _emptyInARow = items == 0 ? _emptyInARow + 1 : 0;
        return link is not null && _emptyInARow < MaxEmptyPagesInARow && _followed.Add(link.AbsoluteUri) ? link : null;
    }
}
