using DefenderMcp.Audit;
using DefenderMcp.Hosting.Http;
using ModelContextProtocol.Server;

namespace DefenderMcp.Mcp;

/// <summary>
/// Fills the who-asked fields of a tool's audit line (the MCP client, the authenticated caller and, for an Entra caller,
/// its upn and display name) from the request, so that every line a call writes names its requester the same way.
/// </summary>
internal static class AuditRequester
{
    public static AuditRecord Stamp(AuditRecord record, RequestContext<ModelContextProtocol.Protocol.CallToolRequestParams> request)
    {
        var client = request.Server?.ClientInfo;
        var caller = CallerIdentity.From(request.User);
        var entra = caller?.Kind == CallerIdentity.EntraKind;
        return record with
        {
            ClientName = client?.Name,
            ClientVersion = client?.Version,
            CallerName = caller?.Name,
            CallerKind = caller?.Kind,
            CallerUpn = entra ? CallerIdentity.Upn(request.User) : null,
            CallerDisplayName = entra ? CallerIdentity.DisplayName(request.User) : null,
        };
    }
}
