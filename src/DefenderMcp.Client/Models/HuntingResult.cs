namespace DefenderMcp.Client;

/// <summary>A hunting result: the schema, and each row as the compact UTF-8 JSON object received.</summary>
/// <param name="Schema">Columns in order.</param>
/// <param name="Rows">One JSON object per row, sliced from the response while streaming.</param>
/// <param name="BodyBytes">Size of the response body.</param>
public sealed record HuntingResult(IReadOnlyList<HuntingColumn> Schema, IReadOnlyList<ReadOnlyMemory<byte>> Rows, long BodyBytes);
