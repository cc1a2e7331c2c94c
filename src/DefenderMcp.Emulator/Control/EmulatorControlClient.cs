using System.Net.Http.Json;
using DefenderMcp.Emulator.Api;
using DefenderMcp.Emulator.Security;

namespace DefenderMcp.Emulator.Control;

/// <summary>A typed client of the control plane, trusting exactly the emulator's certificate. Used by tests and benchmarks.</summary>
public sealed class EmulatorControlClient(HttpClient http) : IDisposable
{
    /// <summary>Adds a fault; returns its id.</summary>
    public async Task<string> AddFaultAsync(FaultSpec fault, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("_emulator/faults", fault, ControlEndpoints.Json, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>(cancellationToken).ConfigureAwait(false);
        return body!["id"];
    }

    /// <summary>Removes every fault.</summary>
    public async Task ClearFaultsAsync(CancellationToken cancellationToken) =>
        (await http.DeleteAsync("_emulator/faults", cancellationToken).ConfigureAwait(false)).EnsureSuccessStatusCode();

    /// <summary>The request log.</summary>
    public async Task<IReadOnlyList<RecordedRequest>> GetRequestsAsync(CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<List<RecordedRequest>>("_emulator/requests", ControlEndpoints.Json, cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>Empties the request log.</summary>
    public async Task ClearRequestsAsync(CancellationToken cancellationToken) =>
        (await http.DeleteAsync("_emulator/requests", cancellationToken).ConfigureAwait(false)).EnsureSuccessStatusCode();

    /// <summary>Restores data and clears faults and the log.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken) =>
        (await http.PostAsync("_emulator/reset", null, cancellationToken).ConfigureAwait(false)).EnsureSuccessStatusCode();

    /// <summary>
    /// Gives app <paramref name="clientId"/> exactly these roles in the tokens issued from now on (null keeps the
    /// app's own); a reset restores them.
    /// </summary>
    public async Task SetAppRolesAsync(string clientId, IReadOnlyList<string>? graph, IReadOnlyList<string>? mde, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync($"_emulator/apps/{Uri.EscapeDataString(clientId)}/roles", new { graph, mde }, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Adds a copy of the tenant's machine <paramref name="copyOf"/> (id or name) under <paramref name="computerDnsName"/>
    /// with a new id, which it returns; a reset removes it.
    /// </summary>
    public async Task<string> AddMachineAsync(string tenantKey, string copyOf, string computerDnsName, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("_emulator/machines", new { tenant = tenantKey, copyOf, computerDnsName }, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(cancellationToken).ConfigureAwait(false);
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Regenerates a table with <paramref name="rows"/> rows (benchmarks).</summary>
    public async Task SetTableRowCountAsync(string tenantKey, string table, int rows, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("_emulator/tables", new { tenant = tenantKey, table, rows }, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// A token from the demo external issuer that every app trusts for workload identity federation (write it to
    /// <c>AZURE_FEDERATED_TOKEN_FILE</c>). A negative lifetime makes an expired token.
    /// </summary>
    public async Task<string> GetFederatedTokenAsync(TimeSpan lifetime, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("_emulator/federated-token", new { lifetimeSeconds = (int)lifetime.TotalSeconds }, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>(cancellationToken).ConfigureAwait(false);
        return body!["token"];
    }

    /// <summary>
    /// An Entra access token for the server's own API, as a signed-in caller's client would send it. Set
    /// <see cref="CallerTokenRequest.LifetimeSeconds"/> negative, another audience or issuer, or
    /// <see cref="CallerTokenRequest.Signing"/> for the variants a server must refuse.
    /// </summary>
    public async Task<CallerTokenResult> MintCallerTokenAsync(CallerTokenRequest request, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("_emulator/caller-token", request, ControlEndpoints.Json, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CallerTokenResult>(ControlEndpoints.Json, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Publishes a new caller signing key (the JWKS changes); returns its key id.</summary>
    public async Task<string> RotateCallerKeysAsync(bool retirePrevious, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("_emulator/caller-keys/rotate", new { retirePrevious }, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(cancellationToken).ConfigureAwait(false);
        return body.GetProperty("keyId").GetString()!;
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();
}
