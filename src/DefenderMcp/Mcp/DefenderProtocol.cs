using DefenderMcp.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Mcp;

/// <summary>
/// The protocol features beside tools, resources and prompts: completions, log notifications to the client after
/// <c>logging/setLevel</c>, and a refusal of <c>resources/subscribe</c>, which the server does not declare (its
/// resources never change under a reader, so there is nothing to notify).
/// </summary>
public static class DefenderProtocol
{
    /// <summary>Adds completions, client log notifications and the subscribe refusal.</summary>
    public static IMcpServerBuilder WithDefenderProtocol(this IMcpServerBuilder builder, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .WithCompleteHandler(DefenderCompletions.Create(settings))
            .WithRequestFilters(filters => filters
                .AddSubscribeToResourcesFilter(_ => (_, _) => throw NotDeclared(RequestMethods.ResourcesSubscribe))
                .AddUnsubscribeFromResourcesFilter(_ => (_, _) => throw NotDeclared(RequestMethods.ResourcesUnsubscribe))
                .AddCallToolFilter(ClientToolLog.Create))
            .WithMessageFilters(filters => filters.AddIncomingFilter(MalformedParamsFilter.Create));
    }

    // The SDK answers subscribe with an empty success whenever resources exist; a client would then wait for updates
    // that never come. Method not found is the honest answer for a capability the server does not declare.
    private static McpProtocolException NotDeclared(string method) =>
        new($"The server does not support {method}: its resources do not change while they are read.", McpErrorCode.MethodNotFound);
}
