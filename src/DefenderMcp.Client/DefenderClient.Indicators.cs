using System.Globalization;
using System.Text.Json.Nodes;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>Custom indicators (defender-api §3.9): list, add, import, delete; every value is checked by <see cref="IndicatorRules"/>.</summary>
public sealed partial class DefenderClient
{
    private const string IndicatorRole = AppRoles.IndicatorsAll;

    /// <summary>Lists custom indicators.</summary>
    public Task<IReadOnlyList<Indicator>> ListIndicatorsAsync(int limit, CancellationToken cancellationToken) =>
        ListIndicatorsAsync(limit, 0, cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> indicators after the first <paramref name="skip"/>, in the service's order: a
    /// tenant holds up to 15,000, so a caller pages through them.
    /// </summary>
    public Task<IReadOnlyList<Indicator>> ListIndicatorsAsync(int limit, int skip, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        return ListMdeAsync("api/indicators", null, IndicatorRole, limit, ModelReader.ReadIndicator, cancellationToken, skip: skip);
    }

    /// <summary>Submits (or updates) one indicator; reads the stored indicator.</summary>
    public DefenderRequest<Indicator> AddIndicator(IndicatorRequest indicator) =>
        Write(HttpMethod.Post, Mde("api/indicators"), DefenderApi.Mde, IndicatorBody(indicator), IndicatorRole, RateFamily.Mde("indicators:submit"), Body(ModelReader.ReadIndicator));

    /// <summary>Imports 1 to 500 indicators in one call; reads the per-item outcome.</summary>
    public DefenderRequest<IReadOnlyList<IndicatorImportResult>> ImportIndicators(IReadOnlyList<IndicatorRequest> indicators)
    {
        var items = new JsonArray([.. WriteValidation.Batch(indicators, "indicators").Select(i => (JsonNode?)IndicatorBody(i))]);
        return Write<IReadOnlyList<IndicatorImportResult>>(
            HttpMethod.Post,
            Mde("api/indicators/import"),
            DefenderApi.Mde,
            new JsonObject { ["Indicators"] = items },
            IndicatorRole,
            RateFamily.IndicatorBatch,
            Body<IReadOnlyList<IndicatorImportResult>>(e => [.. ModelReader.Objects(e, "value").Select(ModelReader.ReadImportResult)]));
    }

    /// <summary>Deletes one indicator (204); reads as the deleted id.</summary>
    public DefenderRequest<string> DeleteIndicator(string indicatorId) =>
        Write(HttpMethod.Delete, Mde($"api/indicators/{Id(indicatorId)}"), DefenderApi.Mde, null, IndicatorRole, RateFamily.Mde("indicators:delete"), _ => indicatorId);

    /// <summary>Deletes 1 to 500 indicators in one call (all or nothing: 404 if any is missing); reads as the deleted ids.</summary>
    public DefenderRequest<IReadOnlyList<string>> DeleteIndicators(IReadOnlyList<string> indicatorIds)
    {
        // Ids travel in the body, but they are still checked like path ids.
        var ids = WriteValidation.Batch(indicatorIds, "indicator ids");
        _ = ids.Select(Id).ToList();
        return Write(HttpMethod.Post, Mde("api/indicators/BatchDelete"), DefenderApi.Mde, new JsonObject { ["IndicatorIds"] = WriteValidation.Strings(ids) }, IndicatorRole, RateFamily.IndicatorBatch, _ => ids);
    }

    private static JsonObject IndicatorBody(IndicatorRequest i)
    {
        ArgumentNullException.ThrowIfNull(i);
        var type = WriteValidation.OneOf(i.IndicatorType, "indicator type", IndicatorRules.Types);
        var value = WriteValidation.Text(i.IndicatorValue, "indicator value", IndicatorRules.MaxValueLength);
        if (IndicatorRules.Problem(type, value) is { } problem)
        {
            throw WriteValidation.Invalid($"The indicator value is not a valid {type}: {problem}.");
        }

        var action = IndicatorRules.Retired(i.Action) is { } retired
            ? throw WriteValidation.Invalid(retired)
            : WriteValidation.OneOf(i.Action, "indicator action", IndicatorRules.Actions);
        var generateAlert = i.GenerateAlert ?? IndicatorRules.GeneratesAlertByDefault(action);
        if (action == "Audit" && !generateAlert)
        {
            throw WriteValidation.Invalid("An Audit indicator needs generateAlert: true.");
        }

        var body = new JsonObject
        {
            ["indicatorValue"] = value,
            ["indicatorType"] = type,
            ["action"] = action,
            ["title"] = WriteValidation.Text(i.Title, "title", IndicatorRules.MaxTitleLength),
            ["description"] = WriteValidation.Text(i.Description, "description", IndicatorRules.MaxDescriptionLength),
            ["generateAlert"] = generateAlert,
        };
        Put(body, "severity", WriteValidation.OptionalOneOf(i.Severity, "severity", IndicatorRules.Severities));
        Put(body, "expirationTime", i.ExpirationTime?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Put(body, "application", WriteValidation.OptionalText(i.Application, "application", 256));
        Put(body, "recommendedActions", WriteValidation.OptionalText(i.RecommendedActions, "recommended actions", 4000));
        if (i.RbacGroupNames is { } groups)
        {
            body["rbacGroupNames"] = WriteValidation.Strings(groups.Select(g => WriteValidation.Text(g, "device group", 256)));
        }

        Put(body, "educateUrl", WriteValidation.OptionalText(i.EducateUrl, "educate URL", 2048));
        return body;
    }
}
