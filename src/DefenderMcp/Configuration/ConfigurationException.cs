namespace DefenderMcp.Configuration;

/// <summary>The configuration is invalid; <see cref="Problems"/> has one line per problem, each naming a variable or JSON path.</summary>
public sealed class ConfigurationException(IReadOnlyList<string> problems)
    : Exception("Invalid configuration: " + string.Join("; ", problems))
{
    /// <summary>One human-readable line per problem; never contains a secret.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
