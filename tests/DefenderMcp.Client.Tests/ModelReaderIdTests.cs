using System.Text.Json;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client.Tests;

/// <summary>
/// An item's id is only an id when a path could carry it (the client's own path check: 1 to 256 characters, nothing that
/// changes a URL's shape): an item whose "id" is a megabyte string, "a/b", an object or empty is malformed, never
/// carried on to the model, or into a later URL where the client would call it the caller's invalid input.
/// </summary>
public sealed class ModelReaderIdTests
{
    public static TheoryData<string, Func<JsonElement, object>> Readers => new()
    {
        { "incident", e => ModelReader.ReadIncident(e) },
        { "alert", e => ModelReader.ReadAlert(e) },
        { "machine", e => ModelReader.ReadMachine(e) },
        { "machine action", e => ModelReader.ReadMachineAction(e) },
        { "indicator", e => ModelReader.ReadIndicator(e) },
        { "detection rule", e => ModelReader.ReadDetectionRule(e) },
        { "software", e => VulnerabilityReader.ReadSoftware(e) },
        { "vulnerability", e => VulnerabilityReader.ReadVulnerability(e) },
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public void An_id_a_path_cannot_carry_is_malformed(string item, Func<JsonElement, object> read)
    {
        foreach (var id in new[] { "\"" + new string('a', 257) + "\"", "\"\"", "\" \"", "\"a/b\"", "\"..\"", "\"a?b\"", "\"a%2f\"", "\"a\\u0000\"", "{\"a\":1}", "[\"x\"]", "true" })
        {
            using var doc = JsonDocument.Parse($$"""{"id":{{id}}}""");

            var error = Assert.Throws<DefenderApiException>(() => read(doc.RootElement));

            Assert.True(error.Code == DefenderErrorCode.UpstreamError, $"{item} with id {id[..Math.Min(20, id.Length)]}: {error.Code}");
        }

        using var longest = JsonDocument.Parse($$"""{"id":"{{new string('a', 256)}}"}""");
        Assert.NotNull(read(longest.RootElement));
    }
}
