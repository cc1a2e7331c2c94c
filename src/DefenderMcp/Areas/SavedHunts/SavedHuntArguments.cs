using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary>Shared argument handling of the saved-hunt tools.</summary>
public static class SavedHuntArguments
{
    /// <summary>The <c>name</c> parameter: a saved hunt's name.</summary>
    public static ToolParameter Name { get; } = ToolParameter.String("name", "The saved hunt's name (see list_saved_hunts).", 64, "^[a-z0-9][a-z0-9-]{0,63}$").AsRequired();

    /// <summary>
    /// Runs a step that uses the schedule store; a store that cannot be used becomes an <c>internal_error</c> whose
    /// message says what is wrong with the state folder (the message never holds secrets).
    /// </summary>
    public static async Task<T> WithStateAsync<T>(Func<Task<T>> step)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (State.StateStoreException ex)
        {
            throw new ToolException(ErrorCodes.InternalError, "The scheduled hunt state cannot be used: " + ex.Message);
        }
    }

    /// <summary>The hunt named by the <c>name</c> argument; <c>not_found</c> lists what exists.</summary>
    public static SavedHunt Hunt(ToolCall call, SavedHuntLibrary library)
    {
        var name = call.Arguments.RequiredString(Name);
        return library.Find(name) ?? throw new ToolException(
            ErrorCodes.NotFound,
            $"No saved hunt of that name. Saved hunts: {string.Join(", ", library.All.Select(h => h.Name).Take(50))}.");
    }
}
