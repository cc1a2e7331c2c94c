namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>The join flavors (Kusto's <c>kind=</c>); <see cref="InnerUnique"/> is the default.</summary>
internal enum JoinKind
{
    /// <summary>Dedups the left side by key (first row wins), then joins like <see cref="Inner"/>.</summary>
    InnerUnique,

    /// <summary>Every matching left and right pair.</summary>
    Inner,

    /// <summary>Inner, plus every unmatched left row with empty right columns.</summary>
    LeftOuter,

    /// <summary>Inner, plus every unmatched right row with empty left columns.</summary>
    RightOuter,

    /// <summary>Left outer plus the unmatched right rows.</summary>
    FullOuter,

    /// <summary>Left rows that have a match (left columns only).</summary>
    LeftSemi,

    /// <summary>Left rows that have no match (left columns only).</summary>
    LeftAnti,

    /// <summary>Right rows that have a match (right columns only).</summary>
    RightSemi,

    /// <summary>Right rows that have no match (right columns only).</summary>
    RightAnti,
}
