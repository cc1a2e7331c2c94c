using System.Text.Json;

namespace DefenderMcp.Emulator.Tests;

/// <summary>An HTTP answer as tests look at it.</summary>
public sealed record Reply(int Status, string Text, TimeSpan? RetryAfter, Uri? Location)
{
    public JsonElement Json => JsonDocument.Parse(Text).RootElement;

    public string? ErrorCode => Json.GetProperty("error").GetProperty("code").GetString();
}
