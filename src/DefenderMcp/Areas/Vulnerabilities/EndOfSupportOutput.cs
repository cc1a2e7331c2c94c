namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>A product's end of support: the most pressing status among its installed versions, and its date.</summary>
/// <param name="Status">None, EOS Version, Upcoming EOS Version, EOS Software or Upcoming EOS Software.</param>
/// <param name="Date">When support ended or ends (yyyy-MM-dd), or null.</param>
public sealed record EndOfSupportOutput(string Status, string? Date);
