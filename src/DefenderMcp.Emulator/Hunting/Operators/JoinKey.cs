namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>One equality of a join or lookup: a left column, a right column, and how both cells become comparable keys.</summary>
/// <param name="Left">Left column index.</param>
/// <param name="Right">Right column index.</param>
/// <param name="Normalize">Maps a cell to its key value (strings: null is ""; int and long compare as long); null never matches.</param>
internal sealed record JoinKey(int Left, int Right, Func<object?, object?> Normalize);
