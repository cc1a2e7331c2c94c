namespace DefenderMcp.Client.Http;

/// <summary>One API call, described before it is sent, so it can also be previewed (dry run) without sending.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Url">Absolute URL.</param>
/// <param name="Api">Which API (decides the token scope).</param>
/// <param name="Kind">Read or write (decides retries).</param>
/// <param name="JsonBody">The JSON body, if any (a library upload sends <see cref="Form"/> instead).</param>
/// <param name="Role">The app role the call needs, named in permission_denied errors.</param>
/// <param name="Family">The quota it counts against (the client's own limiter).</param>
public sealed record DefenderRequest(HttpMethod Method, Uri Url, DefenderApi Api, OperationKind Kind, string? JsonBody, string Role, RateFamily Family)
{
    /// <summary>A multipart/form-data body instead of JSON (a library upload), or null.</summary>
    public MultipartForm? Form { get; init; }

    /// <summary>The body as a dry run shows it: the JSON body, or the form's fields and its file by name, size and SHA-256.</summary>
    public string? PreviewBody => JsonBody ?? Form?.Describe();

    /// <summary>The dry-run view: exactly the method, URL and body that sending would use.</summary>
    public DefenderRequestPreview ToPreview() => new(Method.Method, Url.AbsoluteUri, PreviewBody);
}
