namespace DefenderMcp.Mcp;

/// <summary>Bounds upstream strings before they reach a model.</summary>
public static class Text
{
    /// <summary>Default cap for one upstream string.</summary>
    public const int DefaultMax = 1024;

    /// <summary><paramref name="value"/> cut to <paramref name="max"/> characters with a marker, or null.</summary>
    public static string? Clip(string? value, int max = DefaultMax) =>
        value is null || value.Length <= max ? value : string.Concat(value.AsSpan(0, max), "…[truncated]");
}
