using System.Text.Json;
using DefenderMcp.Emulator.Data;

namespace DefenderMcp.Emulator.Tests;

/// <summary>
/// GET /api/files/{id} gives the size the tenant's hunting rows give the hash (the newest file or process event with a
/// FileSize), so the file API and a hunt agree; the payload keeps the size of its real bytes, and a file no row sizes
/// has a null size rather than the payload's.
/// </summary>
public sealed class FileSizeTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Every_file_the_alerts_or_common_processes_name_has_the_size_its_hunting_rows_give()
    {
        var graph = await fixture.SecretTokenAsync("contoso");
        var mde = await fixture.SecretTokenAsync("contoso", "https://api.securitycenter.microsoft.com/.default");
        var evidence = await fixture.HuntAsync("AlertEvidence | where isnotempty(SHA1) | distinct SHA1", graph);
        Assert.Equal(200, evidence.Status);
        var hashes = evidence.Body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("SHA1").GetString()!)
            .Concat(new[] { "cmd.exe", "MsMpEng.exe", "chrome.exe", "svchost.exe" }.Select(f => DataGenerator.Hex(f, 20)))
            .Where(h => h != DataGenerator.PayloadSha1).Distinct().ToList();
        var sized = 0;

        foreach (var sha1 in hashes)
        {
            var hunt = await fixture.HuntAsync($"union DeviceFileEvents, DeviceProcessEvents | where SHA1 == '{sha1}' and isnotnull(FileSize) | top 1 by Timestamp desc | project FileSize", graph);
            var file = await fixture.SendAsync(HttpMethod.Get, $"api/files/{sha1}", mde);

            Assert.Equal(200, hunt.Status);
            if (file.Status == 404)
            {
                continue;
            }

            Assert.Equal(200, file.Status);
            var row = hunt.Body.GetProperty("results").EnumerateArray().FirstOrDefault();
            long? expected = row.ValueKind == JsonValueKind.Object ? row.GetProperty("FileSize").GetInt64() : null;
            var size = file.Json.GetProperty("size");
            long? actual = size.ValueKind == JsonValueKind.Number ? size.GetInt64() : null;
            Assert.True(expected == actual, $"{sha1}: the file API says size {actual?.ToString() ?? "null"}, its newest hunting row {expected?.ToString() ?? "null"}");
            sized += expected is null ? 0 : 1;
        }

        Assert.True(sized >= 4, $"only {sized} files had a sized hunting row; the test needs the common processes'");
    }

    [Fact]
    public async Task Every_file_in_the_graph_alert_evidence_has_the_size_its_hunting_rows_give()
    {
        var graph = await fixture.SecretTokenAsync("contoso");
        var alerts = await fixture.GetAsync("v1.0/security/alerts_v2?$expand=evidence", graph);
        Assert.Equal(200, alerts.Status);
        var files = alerts.Body.GetProperty("value").EnumerateArray()
            .SelectMany(a => a.TryGetProperty("evidence", out var e) ? e.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .SelectMany(e => new[] { "fileDetails", "imageFile", "parentProcessImageFile" }.Select(p => e.TryGetProperty(p, out var f) ? f : default))
            .Where(f => f.ValueKind == JsonValueKind.Object)
            .ToList();
        var sizes = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);

        foreach (var file in files)
        {
            var sha1 = file.GetProperty("sha1").GetString()!;
            var hunt = await fixture.HuntAsync($"union DeviceFileEvents, DeviceProcessEvents | where SHA1 == '{sha1}' and isnotnull(FileSize) | top 1 by Timestamp desc | project FileSize", graph);
            Assert.Equal(200, hunt.Status);
            var row = hunt.Body.GetProperty("results").EnumerateArray().FirstOrDefault();
            long? expected = row.ValueKind == JsonValueKind.Object ? row.GetProperty("FileSize").GetInt64() : null;
            var size = file.GetProperty("fileSize");
            long? actual = size.ValueKind == JsonValueKind.Number ? size.GetInt64() : null;
            Assert.True(expected == actual, $"{file.GetProperty("fileName").GetString()} ({sha1}): the evidence says fileSize {actual?.ToString() ?? "null"}, its newest hunting row {expected?.ToString() ?? "null"}");
            if (actual is { } known)
            {
                sizes[sha1] = known;
            }
        }

        // It used to be the payload's 482,304 bytes for every file.
        Assert.True(sizes.Values.Distinct().Count() >= 4, $"only {sizes.Values.Distinct().Count()} distinct sizes among {sizes.Count} sized files");
    }

    [Fact]
    public async Task The_payload_keeps_the_size_of_its_bytes_by_either_hash()
    {
        var mde = await fixture.SecretTokenAsync("contoso", "https://api.securitycenter.microsoft.com/.default");

        foreach (var hash in new[] { DataGenerator.PayloadSha1, DataGenerator.PayloadSha256 })
        {
            var file = await fixture.SendAsync(HttpMethod.Get, $"api/files/{hash}", mde);

            Assert.Equal(200, file.Status);
            Assert.Equal(DeviceFiles.Payload().Length, file.Json.GetProperty("size").GetInt64());
        }
    }
}
