using System.Text.Json.Serialization;

namespace DefenderMcp.Mcp.Results;

/// <summary>
/// What a live-response write returns: the write's result, and once the action was followed, each command's status
/// and result. Its own type, so only the live-response tools' output schemas carry the extra member.
/// </summary>
public sealed record LiveResponseWriteResult : WriteResult
{
    /// <summary>Each command's status and result, once the action was followed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LiveResponseResult? LiveResponse { get; init; }

    /// <summary><paramref name="sent"/> completed with what following it found.</summary>
    public static LiveResponseWriteResult From(WriteResult sent, LiveResponseResult liveResponse)
    {
        ArgumentNullException.ThrowIfNull(sent);
        return new LiveResponseWriteResult
        {
            Tenant = sent.Tenant,
            DryRun = sent.DryRun,
            Done = sent.Done,
            Action = sent.Action,
            Target = sent.Target,
            Comment = sent.Comment,
            Request = sent.Request,
            Status = sent.Status,
            ConfirmationToken = sent.ConfirmationToken,
            ExpiresAt = sent.ExpiresAt,
            Message = sent.Message,
            ActionId = sent.ActionId,
            Type = sent.Type,
            RequestedAt = sent.RequestedAt,
            Changes = sent.Changes,
            Indicator = sent.Indicator,
            Indicators = sent.Indicators,
            DeletedIds = sent.DeletedIds,
            Rule = sent.Rule,
            LiveResponse = liveResponse,
        };
    }
}
