namespace DefenderMcp.Emulator.Hunting.Evaluation;

/// <summary>Compares rows (or group keys) cell by cell; strings compare ordinally, as KQL groups them.</summary>
internal sealed class RowKeyComparer : IEqualityComparer<object?[]>
{
    public static RowKeyComparer Instance { get; } = new();

    public bool Equals(object?[]? x, object?[]? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.Length != y.Length)
        {
            return false;
        }

        for (var i = 0; i < x.Length; i++)
        {
            if (!Equals(x[i], y[i]))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(object?[] obj)
    {
        var hash = new HashCode();
        foreach (var cell in obj)
        {
            hash.Add(cell);
        }

        return hash.ToHashCode();
    }
}
