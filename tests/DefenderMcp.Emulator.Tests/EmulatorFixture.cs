using System.Net.Http.Json;
using System.Text.Json;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.Emulator.Tests;

public class EmulatorFixture : IAsyncLifetime
{
    protected virtual EmulatorOptions Options => new();

    public DefenderEmulator Emulator { get; private set; } = null!;

    public EmulatorControlClient Control { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Emulator = await DefenderEmulator.StartAsync(Options, TestContext.Current.CancellationToken);
        Control = Emulator.CreateControlClient();
        var pinned = Emulator.TlsCertificate.RawData;
        Http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(pinned) } })
        {
            BaseAddress = Emulator.BaseUri,
        };
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Http.Dispose();
        Control.Dispose();
        await Emulator.DisposeAsync();
    }

    public async Task<(int Status, JsonElement Body)> TokenAsync(string tenantSegment, Dictionary<string, string> form)
    {
        using var response = await Http.PostAsync($"{tenantSegment}/oauth2/v2.0/token", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
    }

    public async Task<string> SecretTokenAsync(string tenantKey, string scope = "https://graph.microsoft.com/.default", bool limited = false)
    {
        var tenant = Emulator.GetTenant(tenantKey);
        var app = limited ? tenant.LimitedApp : tenant.App;
        var (status, body) = await TokenAsync(tenant.TenantId, new() { ["grant_type"] = "client_credentials", ["client_id"] = app.ClientId, ["client_secret"] = app.ClientSecret, ["scope"] = scope });
        Assert.Equal(200, status);
        return body.GetProperty("access_token").GetString()!;
    }

    public async Task<(int Status, JsonElement Body)> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
    }

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? token, object? json = null, string? rawBody = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        if (rawBody is not null)
        {
            request.Content = new StringContent(rawBody, System.Text.Encoding.UTF8, "application/json");
        }
        else if (json is not null)
        {
            // Names exactly as written: MDE body names are case-sensitive (Comment, not comment).
            request.Content = JsonContent.Create(json, options: new JsonSerializerOptions());
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new Reply((int)response.StatusCode, text, response.Headers.RetryAfter?.Delta, response.Headers.Location);
    }

    public async Task<(int Status, JsonElement Body)> HuntAsync(string query, string token, string timespan = "P30D")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1.0/security/runHuntingQuery") { Content = JsonContent.Create(new { Query = query, Timespan = timespan }) };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
    }
}
