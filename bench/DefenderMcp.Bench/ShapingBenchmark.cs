using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Client.Parsing;
using DefenderMcp.Emulator;

namespace DefenderMcp.Bench;

/// <summary>
/// Shapes a large hunting result from the emulator (stream parse into row slices, then the first page within the
/// byte budget) and compares it with a plain JsonDocument parse of the same bytes: time and allocated bytes.
/// </summary>
internal static class ShapingBenchmark
{
    private const string Columns = "Timestamp, DeviceId, DeviceName, ActionType, FileName, FolderPath, SHA1, SHA256, MD5, FileSize, ProcessId, ProcessCommandLine, ProcessIntegrityLevel, AccountDomain, AccountName, AccountSid, InitiatingProcessFileName, InitiatingProcessId, InitiatingProcessCommandLine, ReportId";

    public static async Task RunAsync(int rows)
    {
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), CancellationToken.None).ConfigureAwait(false);
        using var control = emulator.CreateControlClient();
        await control.SetTableRowCountAsync("contoso", "DeviceProcessEvents", rows, CancellationToken.None).ConfigureAwait(false);
        var body = await FetchAsync(emulator, rows).ConfigureAwait(false);

        var parse = Measure(() =>
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.GetProperty("results").GetArrayLength();
        });
        var shape = Measure(() =>
        {
            var result = HuntingResponseReader.ReadAsync(new MemoryStream(body, writable: false), CancellationToken.None).GetAwaiter().GetResult();
            var page = RowPager.Page(result, 0, 100, null, 64 * 1024);
            return result.Rows.Count + page.Rows.Count;
        });

        Console.WriteLine($"| rows | columns | body | JsonDocument.Parse | shaping (stream parse + first page) | time ratio | allocated by shaping | allocated / body |");
        Console.WriteLine($"|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| {rows:N0} | 20 | {body.Length / 1048576.0:F1} MiB | {parse.Median.TotalMilliseconds:F0} ms | {shape.Median.TotalMilliseconds:F0} ms | {shape.Median / parse.Median:F2}× | {shape.Allocated / 1048576.0:F1} MiB | {(double)shape.Allocated / body.Length:F2}× |");
        Console.WriteLine();
        Console.WriteLine($"JsonDocument.Parse allocated {parse.Allocated / 1048576.0:F1} MiB. Medians of {Runs} runs after {Warmups} warm-ups; .NET {Environment.Version}, {Environment.ProcessorCount} cores.");
    }

    private const int Warmups = 3;
    private const int Runs = 9;

    private static (TimeSpan Median, long Allocated) Measure(Func<int> action)
    {
        for (var i = 0; i < Warmups; i++)
        {
            action();
        }

        var times = new List<TimeSpan>();
        long allocated = 0;
        for (var i = 0; i < Runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            if (action() <= 0)
            {
                throw new InvalidOperationException("no rows");
            }

            times.Add(watch.Elapsed);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        times.Sort();
        return (times[times.Count / 2], allocated);
    }

    private static Task<byte[]> FetchAsync(DefenderEmulator emulator, int rows) =>
        FetchAsync(emulator, $"DeviceProcessEvents | project {Columns} | take {rows}", "P30D");

    /// <summary>The emulator's response body to one hunting query, fetched directly.</summary>
    internal static async Task<byte[]> FetchAsync(DefenderEmulator emulator, string query, string timespan)
    {
        var tenant = emulator.GetTenant("contoso");
        var pinned = emulator.TlsCertificate.RawData;
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(pinned) } })
        {
            BaseAddress = emulator.BaseUri,
            Timeout = TimeSpan.FromMinutes(5),
        };
        using var tokenResponse = await http.PostAsync($"{tenant.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = tenant.App.ClientId,
            ["client_secret"] = tenant.App.ClientSecret,
            ["scope"] = "https://graph.microsoft.com/.default",
        })).ConfigureAwait(false);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false)).GetProperty("access_token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1.0/security/runHuntingQuery")
        {
            Content = JsonContent.Create(new { Query = query, Timespan = timespan }),
        };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
    }
}
