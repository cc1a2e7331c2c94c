using System.Text.Json.Nodes;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>Advanced hunting (Graph runHuntingQuery): a POST that only reads, so it is retried like a read.</summary>
public sealed partial class DefenderClient
{
    /// <summary>Runs an advanced hunting query; the response is parsed as a stream.</summary>
    public Task<HuntingResult> RunHuntingQueryAsync(string query, string? timespan, CancellationToken cancellationToken) =>
        BoundedAsync(ct => RunHuntingQueryUnboundedAsync(query, timespan, ct), cancellationToken);

    private async Task<HuntingResult> RunHuntingQueryUnboundedAsync(string query, string? timespan, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The hunting query is empty.");
        }

        // Timespan is optional (the service then uses 30 days): left out rather than sent as null.
        var body = new JsonObject { ["Query"] = query };
        if (timespan is not null)
        {
            body["Timespan"] = timespan;
        }

        var request = new DefenderRequest(HttpMethod.Post, Graph("v1.0/security/runHuntingQuery"), DefenderApi.Graph, OperationKind.Read, body.ToJsonString(), AppRoles.ThreatHunting, RateFamily.Hunting);
        using var response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await HuntingResponseReader.ReadAsync(stream, cancellationToken, maxBodyBytes: MaxHuntingBodyBytes).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw BodyFailed(ex);
        }
    }
}
