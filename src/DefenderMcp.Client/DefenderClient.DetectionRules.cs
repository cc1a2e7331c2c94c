using System.Text.Json.Nodes;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>
/// Custom detection rules (Graph beta), in the current schema (defender-api §2.4): creates carry the client's
/// <c>id</c>, <c>status</c> and <c>schedule.frequency</c>; the members removed on 2026-10-01 are never sent. Rules of
/// either schema are read.
/// </summary>
public sealed partial class DefenderClient
{
    private const string RulesPath = "beta/security/rules/detectionRules";
    private const string RuleRead = AppRoles.DetectionRead;
    private const string RuleWrite = AppRoles.DetectionWrite;

    /// <summary>Lists custom detection rules.</summary>
    public Task<IReadOnlyList<DetectionRule>> ListDetectionRulesAsync(int limit, CancellationToken cancellationToken) =>
        ListGraphAsync(Graph(RulesPath, ("$top", Invariant(Math.Min(limit, Options.PageSize)))), RuleRead, limit, ModelReader.ReadDetectionRule, cancellationToken);

    /// <summary>Gets one custom detection rule.</summary>
    public async Task<DetectionRule> GetDetectionRuleAsync(string ruleId, CancellationToken cancellationToken) =>
        ModelReader.ReadDetectionRule(await GetObjectAsync(Graph($"{RulesPath}/{Id(ruleId)}"), DefenderApi.Graph, RuleRead, RateFamily.Graph, cancellationToken).ConfigureAwait(false));

    /// <summary>Creates a custom detection rule (201, current schema); reads the stored rule.</summary>
    public DefenderRequest<DetectionRule> CreateDetectionRule(DetectionRuleRequest rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var name = WriteValidation.Text(rule.DisplayName, "display name", 200);
        var template = new JsonObject
        {
            ["title"] = WriteValidation.Text(rule.AlertTitle, "alert title", 200),
            ["description"] = WriteValidation.OptionalText(rule.AlertDescription, "alert description", 2000) ?? name,
            ["severity"] = WriteValidation.OneOf(rule.Severity, "severity", DetectionRuleValues.Severities),
        };
        Put(template, "recommendedActions", WriteValidation.OptionalText(rule.RecommendedActions, "recommended actions", 2000));

        // Without a mapped device an alert cannot link to one: the query's DeviceId column names it.
        template["entityMappings"] = new JsonObject { ["hosts"] = new JsonArray(new JsonObject { ["deviceIdColumn"] = "DeviceId" }) };
        if (Tactics(rule.Tactic, rule.Techniques) is { } tactics)
        {
            template["tactics"] = tactics;
        }

        var body = new JsonObject
        {
            ["id"] = RuleId(rule.Id),
            ["displayName"] = name,
        };
        Put(body, "description", WriteValidation.OptionalText(rule.Description, "description", 2000));
        body["status"] = WriteValidation.OneOf(rule.Status, "status", DetectionRuleValues.Statuses);
        body["queryCondition"] = new JsonObject { ["queryText"] = WriteValidation.Text(rule.QueryText, "query", DetectionRuleValues.MaxQueryLength) };
        body["schedule"] = new JsonObject { ["frequency"] = WriteValidation.OneOf(rule.Frequency, "frequency", DetectionRuleValues.Frequencies) };
        body["detectionAction"] = new JsonObject { ["alertTemplate"] = template };
        return Write(HttpMethod.Post, Graph(RulesPath), DefenderApi.Graph, body, RuleWrite, RateFamily.Graph, Body(ModelReader.ReadDetectionRule));
    }

    /// <summary>Updates a custom detection rule (nested objects with only the changed leaves); reads the stored rule.</summary>
    public DefenderRequest<DetectionRule> UpdateDetectionRule(string ruleId, DetectionRuleUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var patch = new JsonObject();
        Put(patch, "displayName", WriteValidation.OptionalText(update.DisplayName, "display name", 200) is { Length: > 0 } name ? name : null);
        Put(patch, "status", WriteValidation.OptionalOneOf(update.Status, "status", DetectionRuleValues.Statuses));
        if (update.QueryText is not null)
        {
            patch["queryCondition"] = new JsonObject { ["queryText"] = WriteValidation.Text(update.QueryText, "query", DetectionRuleValues.MaxQueryLength) };
        }

        if (update.Frequency is not null)
        {
            patch["schedule"] = new JsonObject { ["frequency"] = WriteValidation.OneOf(update.Frequency, "frequency", DetectionRuleValues.Frequencies) };
        }

        if (update.Severity is not null)
        {
            patch["detectionAction"] = new JsonObject { ["alertTemplate"] = new JsonObject { ["severity"] = WriteValidation.OneOf(update.Severity, "severity", DetectionRuleValues.Severities) } };
        }

        return Write(HttpMethod.Patch, Graph($"{RulesPath}/{Id(ruleId)}"), DefenderApi.Graph, NotEmpty(patch), RuleWrite, RateFamily.Graph, Body(ModelReader.ReadDetectionRule));
    }

    /// <summary>Deletes a custom detection rule; reads as the deleted id.</summary>
    public DefenderRequest<string> DeleteDetectionRule(string ruleId) =>
        Write(HttpMethod.Delete, Graph($"{RulesPath}/{Id(ruleId)}"), DefenderApi.Graph, null, RuleWrite, RateFamily.Graph, _ => ruleId);

    private static string RuleId(string? id) =>
        id is not null && DetectionRuleValues.IdPattern().IsMatch(id)
            ? id
            : throw WriteValidation.Invalid($"The rule id must be 1 to {DetectionRuleValues.MaxIdLength} letters, digits or hyphens, starting with a letter or digit.");

    private static JsonArray? Tactics(string? tactic, IReadOnlyList<string>? techniques)
    {
        if (tactic is null)
        {
            return techniques is { Count: > 0 } ? throw WriteValidation.Invalid("MITRE techniques need the tactic they belong to.") : null;
        }

        var items = new JsonArray();
        foreach (var technique in techniques ?? [])
        {
            items.Add(new JsonObject
            {
                ["technique"] = technique is not null && DetectionRuleValues.TechniquePattern().IsMatch(technique) ? technique : throw WriteValidation.Invalid("A MITRE technique id looks like T1059 or T1059.001."),
            });
        }

        if (items.Count > 20)
        {
            throw WriteValidation.Invalid("Give at most 20 MITRE techniques.");
        }

        return [new JsonObject { ["tactic"] = WriteValidation.OneOf(tactic, "tactic", DetectionRuleValues.Tactics), ["techniques"] = items }];
    }
}
