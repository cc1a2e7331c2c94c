using System.ComponentModel;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Server;

/// <summary>
/// The per-call floor: one HTTPS request to the emulator from a tool of a bare SDK server, with a cached client-secret
/// token and the emulator's certificate pinned, the body returned as text. What it costs over the same request sent
/// directly is what the SDK and stdio cost; what DefenderMcp costs over it is what our server adds. Configured by the
/// bench through BARE_* variables (base URL, certificate PEM, tenant, client id and secret).
/// </summary>
[McpServerToolType]
internal sealed class DirectTool
{
    private static readonly Lazy<HttpClient> Http = new(CreateClient);
    private static readonly Dictionary<string, string> Tokens = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim TokenGate = new(1, 1);

    [McpServerTool(Name = "direct")]
    [Description("Sends one request to the configured emulator and returns the body.")]
    public static async Task<string> SendAsync(
        [Description("GET or POST.")] string method,
        [Description("Path and query, relative to the base URL.")] string path,
        [Description("JSON body for POST.")] string? body = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendCoreAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bench tool: the reason goes back to the bench, which fails the run with it.
            throw new McpException(ex.GetType().Name + ": " + ex.Message);
        }
    }

    private static async Task<string> SendCoreAsync(string method, string path, string? body, CancellationToken cancellationToken)
    {
        var scope = path.StartsWith("api/", StringComparison.Ordinal) ? "https://api.securitycenter.microsoft.com/.default" : "https://graph.microsoft.com/.default";
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new("Bearer", await TokenAsync(scope, cancellationToken).ConfigureAwait(false));
        using var response = await Http.Value.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> TokenAsync(string scope, CancellationToken cancellationToken)
    {
        await TokenGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Tokens.TryGetValue(scope, out var token))
            {
                using var response = await Http.Value.PostAsync($"{Env("BARE_TENANT_ID")}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = Env("BARE_CLIENT_ID"),
                    ["client_secret"] = Env("BARE_CLIENT_SECRET"),
                    ["scope"] = scope,
                }), cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
                Tokens[scope] = token = json.GetProperty("access_token").GetString()!;
            }

            return token;
        }
        finally
        {
            TokenGate.Release();
        }
    }

    private static HttpClient CreateClient()
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Env("BARE_TLS_CERT")));
        var pinned = certificate.RawData;
        return new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(pinned) } })
        {
            BaseAddress = new Uri(Env("BARE_BASE_URL")),
        };
    }

    private static string Env(string name) => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException(name + " is not set.");
}
