namespace DefenderMcp.Mcp;

/// <summary>What a <see cref="ToolParameter"/> holds, which fixes both its schema and how its value is read.</summary>
public enum ToolParameterKind
{
    /// <summary>A trimmed string within a length, optionally matching a pattern.</summary>
    String,

    /// <summary>An ISO-8601 date-time string.</summary>
    DateTime,

    /// <summary>One of a list of strings (read case-insensitively, returned in the listed spelling).</summary>
    Enum,

    /// <summary>An integer within bounds.</summary>
    Integer,

    /// <summary>True or false.</summary>
    Boolean,

    /// <summary>A list of strings, each within a length and optionally matching a pattern.</summary>
    StringList,

    /// <summary>A schema whose value a dedicated reader checks (the tenant selector, a list of objects).</summary>
    Custom,
}
