using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary>Shared argument handling of the saved-hunt tools.</summary>
public static class SavedHuntArguments
{
    /// <summary>The <c>name</c> parameter: a saved hunt's name.</summary>
    public static ToolParameter Name { get; } = ToolParameter.String("name", "The saved hunt's name (see list_saved_hunts).", 64, "^[a-z0-9][a-z0-9-]{0,63}$").AsRequired();

    /// <summary>How long a caller is told to wait while the shared state store (Redis) does not answer.</summary>
    public static readonly TimeSpan StateRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs a step that uses the schedule store. A store that does not answer (Redis down) becomes an
    /// <c>upstream_error</c> with <c>retry_after</c>, as for a hunting result held only there: it passes. A store that
    /// cannot be used becomes an <c>internal_error</c> whose message says what is wrong with the state folder. Neither
    /// message holds a host or secret.
    /// </summary>
    public static async Task<T> WithStateAsync<T>(Func<Task<T>> step)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (State.StateStoreException ex) when (ex.Unreachable)
        {
            throw new ToolException(ErrorCodes.UpstreamError, "The scheduled hunt state cannot be used now: " + ex.Message + " Nothing was read or changed; try again in a moment.", StateRetryAfter);
        }
        catch (State.StateStoreException ex)
        {
            throw new ToolException(ErrorCodes.InternalError, "The scheduled hunt state cannot be used: " + ex.Message);
        }
    }

    /// <summary>
    /// The hunt named by the <c>name</c> argument if <paramref name="grant"/> may see it; otherwise <c>not_found</c>
    /// listing the hunts it may see, the same answer for a hunt outside its tenants as for no hunt at all.
    /// </summary>
    public static SavedHunt Hunt(ToolCall call, SavedHuntLibrary library, CallerGrant grant)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(library);
        var name = call.Arguments.RequiredString(Name);
        return library.Find(name, grant) ?? throw new ToolException(
            ErrorCodes.NotFound,
            $"No saved hunt of that name. Saved hunts: {string.Join(", ", library.VisibleTo(grant).Select(h => h.Name).Take(50))}.");
    }
}
