using System.Text.Json.Nodes;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>
/// Custom detection rules (Graph beta). The one documented exception to typed bodies: a rule is a caller-built
/// <see cref="JsonObject"/>, because the beta schema is large and changes; its path, role and rate family live here.
/// </summary>
public sealed partial class DefenderClient
{
    private const string RulesPath = "beta/security/rules/detectionRules";
    private const string RuleRead = "CustomDetection.Read.All";
    private const string RuleWrite = "CustomDetection.ReadWrite.All";

    /// <summary>Lists custom detection rules.</summary>
    public Task<IReadOnlyList<DetectionRule>> ListDetectionRulesAsync(int limit, CancellationToken cancellationToken) =>
        ListGraphAsync(Graph(RulesPath, ("$top", Invariant(Math.Min(limit, Options.PageSize)))), RuleRead, limit, ModelReader.ReadDetectionRule, cancellationToken);

    /// <summary>Gets one custom detection rule.</summary>
    public async Task<DetectionRule> GetDetectionRuleAsync(string ruleId, CancellationToken cancellationToken) =>
        ModelReader.ReadDetectionRule(await GetObjectAsync(Graph($"{RulesPath}/{Id(ruleId)}"), DefenderApi.Graph, RuleRead, RateFamily.Graph, cancellationToken).ConfigureAwait(false));

    /// <summary>Creates a custom detection rule (classic schema); reads the stored rule.</summary>
    public DefenderRequest<DetectionRule> CreateDetectionRule(JsonObject rule) =>
        Write(HttpMethod.Post, Graph(RulesPath), DefenderApi.Graph, rule, RuleWrite, RateFamily.Graph, Body(ModelReader.ReadDetectionRule));

    /// <summary>Updates a custom detection rule (nested objects with only the changed leaves); reads the stored rule.</summary>
    public DefenderRequest<DetectionRule> UpdateDetectionRule(string ruleId, JsonObject patch) =>
        Write(HttpMethod.Patch, Graph($"{RulesPath}/{Id(ruleId)}"), DefenderApi.Graph, patch, RuleWrite, RateFamily.Graph, Body(ModelReader.ReadDetectionRule));

    /// <summary>Deletes a custom detection rule; reads as the deleted id.</summary>
    public DefenderRequest<string> DeleteDetectionRule(string ruleId) =>
        Write(HttpMethod.Delete, Graph($"{RulesPath}/{Id(ruleId)}"), DefenderApi.Graph, null, RuleWrite, RateFamily.Graph, _ => ruleId);
}
