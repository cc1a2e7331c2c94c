namespace DefenderMcp.Client.Tests.Fakes;

public sealed record SentRequest(string Method, Uri Uri, string? Token, string? Body, IReadOnlyDictionary<string, string> Headers)
{
    public string PathAndQuery => Uri.UnescapeDataString(Uri.PathAndQuery);
}
