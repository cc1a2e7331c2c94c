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

    // A vulnerability without an id falls back to its name (the CVE id), held to the same rule.
    [Fact]
    public void A_vulnerability_name_in_place_of_its_id_is_held_to_the_same_rule()
    {
        using var good = JsonDocument.Parse("""{"name":"CVE-2023-36884"}""");
        using var bad = JsonDocument.Parse("""{"name":"CVE-2023/../x"}""");

        Assert.Equal("CVE-2023-36884", VulnerabilityReader.ReadVulnerability(good.RootElement).Id);
        Assert.Equal(DefenderErrorCode.UpstreamError, Assert.Throws<DefenderApiException>(() => VulnerabilityReader.ReadVulnerability(bad.RootElement)).Code);
    }
}
