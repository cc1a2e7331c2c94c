using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DefenderMcp.Emulator.Api;

/// <summary>
/// Live response and its library (defender-api §3.7, §3.8): runliveresponse with the documented rules (one session per
/// machine, 400 <c>ActiveRequestAlreadyExists</c>; 10 runs a minute and 25 running sessions, 429), result links that
/// expire, a storage-like download endpoint that checks the link's signature and lifetime, and the library's list,
/// multipart upload (20 MB) and delete.
/// </summary>
public static class LiveResponseEndpoints
{
    private const string BlobPrefix = "/investigation-actions-data";
    private static readonly byte[] LinkKey = RandomNumberGenerator.GetBytes(32);
    private static readonly HashSet<string> CommandTypes = new(["PutFile", "RunScript", "GetFile"], StringComparer.Ordinal);

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPost("/api/machines/{id}/runliveresponse", (HttpContext c, string id) => RunAsync(c, state, id));
        app.MapGet("/api/machineactions/{id}/GetLiveResponseResultDownloadLink(index={index})", (HttpContext c, string id, string index) => LinkAsync(c, state, id, index));
        app.MapGet(BlobPrefix + "/{tenant}/{id}/CustomPlaybookCommandOutput/{index:int}", (HttpContext c, string tenant, string id, int index) => DownloadAsync(c, state, tenant, id, index));
        app.MapGet("/api/libraryfiles", (HttpContext c) => ListLibraryAsync(c, state));
        app.MapPost("/api/libraryfiles", (HttpContext c) => UploadAsync(c, state));
        app.MapDelete("/api/libraryfiles/{name}", (HttpContext c, string name) => DeleteAsync(c, state, name));
    }

    private static MachineActionStore Store(EmulatorState state, TenantData data) =>
        data.Actions ??= new MachineActionStore(state.Options.ActionPendingTime, state.Options.ActionInProgressTime);

    private static LiveResponseLibrary Library(EmulatorState state, TenantData data) =>
        Store(state, data).Library ??= new LiveResponseLibrary(state.Now);

    private static async Task RunAsync(HttpContext context, EmulatorState state, string id)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Machine.LiveResponse").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        var body = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
        // Top-level keys are case-sensitive (Commands, Comment); command keys are lower-case.
        if (body?["Commands"] is not JsonArray commands || commands.Count == 0 || commands.Any(c => !ValidCommand(c as JsonObject)))
        {
            await ApiErrors.WriteAsync(context, 400, "InvalidRequestBody", "Commands must be a non-empty list of PutFile, RunScript and GetFile commands with their params.").ConfigureAwait(false);
            return;
        }

        var comment = JsonBody.Text(body["Comment"]) ?? string.Empty;
        var now = DateTime.UtcNow;
        var names = StoryNames.For(data.Tenant.Key, state.IndexOf(data.Tenant));
        (int Status, string Code, string Message, int? RetryAfter)? refusal = null;
        JsonObject? action = null;
        lock (data.Gate)
        {
            var store = Store(state, data);
            var machine = data.Machines.FirstOrDefault(m => string.Equals(m["id"]!.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase));
            if (machine is null)
            {
                refusal = (404, "ResourceNotFound", "Machine was not found.", null);
            }
            else if (!store.TryCountLiveResponseCall(now, state.Options.LiveResponseCallsPerMinute, out var wait))
            {
                refusal = (429, "TooManyRequests", "Live response allows 10 calls per minute.", Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)));
            }
            else if (store.HasActive(machine["id"]!.GetValue<string>(), "LiveResponse", now))
            {
                refusal = (400, "ActiveRequestAlreadyExists", "A live response session is already running on this machine.", null);
            }
            else if (store.ActiveCount("LiveResponse", now) >= state.Options.LiveResponseSessions)
            {
                refusal = (429, "TooManyRequests", "Too many concurrently running live response sessions (25).", 30);
            }
            else
            {
                var device = Device(data, machine);
                var outcomes = Plan(commands, store, Library(state, data), machine["id"]!.GetValue<string>(), device, names);
                action = (JsonObject)store.CreateLiveResponse(machine, commands, outcomes, comment, context.Items["appId"] as string ?? "app", now).DeepClone();
            }
        }

        if (refusal is { } r)
        {
            await ApiErrors.WriteAsync(context, r.Status, r.Code, r.Message, r.RetryAfter).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 201;
        await context.Response.WriteAsJsonAsync(action).ConfigureAwait(false);
    }

    private static bool ValidCommand(JsonObject? command)
    {
        var type = JsonBody.Text(command?["type"]);
        if (type is null || !CommandTypes.Contains(type) || command!["params"] is not JsonArray parameters)
        {
            return false;
        }

        var required = type switch { "PutFile" => "FileName", "RunScript" => "ScriptName", _ => "Path" };
        return parameters.Any(p => JsonBody.Text(p?["key"]) == required && !string.IsNullOrEmpty(JsonBody.Text(p?["value"])));
    }

    private static string? Param(JsonNode command, string key) =>
        (command["params"] as JsonArray)?.Where(p => JsonBody.Text(p?["key"]) == key).Select(p => JsonBody.Text(p?["value"])).FirstOrDefault();

    private static StoryDevice Device(TenantData data, JsonObject machine)
    {
        var name = machine["computerDnsName"]!.GetValue<string>();
        var victim = data.Machines.FirstOrDefault(m => m["computerDnsName"]!.GetValue<string>().Contains("-fin-lt-", StringComparison.Ordinal));
        var server = data.Machines.FirstOrDefault(m => m["computerDnsName"]!.GetValue<string>().Contains("-srv-file-", StringComparison.Ordinal));
        return new StoryDevice(name, ReferenceEquals(victim, machine), ReferenceEquals(server, machine));
    }

    // Decided up front, in order: a command naming a file the library or the device does not have fails.
    private static List<CommandOutcome> Plan(JsonArray commands, MachineActionStore store, LiveResponseLibrary library, string machineId, StoryDevice device, StoryNames names)
    {
        var outcomes = new List<CommandOutcome>(commands.Count);
        foreach (var command in commands)
        {
            switch (JsonBody.Text(command!["type"]))
            {
                case "PutFile":
                    var file = library.Find(Param(command, "FileName")!);
                    if (file is not null)
                    {
                        store.PlacedFiles[machineId + "|" + DeviceFiles.WorkingFolder + file.FileName] = file.Content;
                    }

                    outcomes.Add(file is null ? new(false, "File was not found in the library.", null) : new(true, null, null));
                    break;
                case "RunScript":
                    var script = Param(command, "ScriptName")!;
                    outcomes.Add(library.Find(script) is null
                        ? new(false, "Script was not found in the library.", null)
                        : new(true, null, ScriptTranscripts.For(script, Param(command, "Args"), device, names)));
                    break;
                default:
                    var path = Param(command, "Path")!;
                    var content = DeviceFiles.Content(device, path, names.Users[0]) ?? store.PlacedFiles.GetValueOrDefault(machineId + "|" + path);
                    outcomes.Add(content is null ? new(false, "File was not found on the machine.", null) : new(true, null, content));
                    break;
            }
        }

        return outcomes;
    }

    private static async Task LinkAsync(HttpContext context, EmulatorState state, string id, string indexText)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Machine.Read.All", "Machine.ReadWrite.All").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            await ApiErrors.WriteAsync(context, 400, "InvalidRequestBody", "index must be a command index.").ConfigureAwait(false);
            return;
        }

        byte[]? result;
        lock (data.Gate)
        {
            result = Store(state, data).Result(id, index, DateTime.UtcNow);
        }

        if (result is null)
        {
            // Undocumented for an unfinished command or a PutFile; mirrors GetPackageUri's 404 (defender-api §3.7).
            await ApiErrors.WriteAsync(context, 404, "ResourceNotFound", "No completed command result for this action and index.").ConfigureAwait(false);
            return;
        }

        var expires = DateTime.UtcNow.Add(state.Options.LiveResponseLinkLifetime).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var tenant = data.Tenant.Key;
        var link = $"{context.Request.Scheme}://{context.Request.Host}{BlobPrefix}/{tenant}/{id}/CustomPlaybookCommandOutput/{index}?se={Uri.EscapeDataString(expires)}&sp=r&sv=2019-07-07&sr=b&sig={Uri.EscapeDataString(Sign(tenant, id, index, expires))}";
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["@odata.context"] = "https://api.security.microsoft.com/api/$metadata#Edm.String",
            ["value"] = link,
        }).ConfigureAwait(false);
    }

    private static async Task DownloadAsync(HttpContext context, EmulatorState state, string tenantKey, string id, int index)
    {
        var expires = context.Request.Query["se"].ToString();
        var signature = context.Request.Query["sig"].ToString();
        var tenant = state.FindTenant(tenantKey);
        var valid = tenant is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(Sign(tenantKey, id, index, expires)));
        if (!valid || !DateTime.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var until) || until < DateTime.UtcNow)
        {
            // Azure storage answers an expired or forged SAS with 403 AuthenticationFailed.
            context.Response.StatusCode = 403;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Signature not valid in the specified time frame.</Message></Error>", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var data = state.Data(tenant!);
        byte[]? result;
        lock (data.Gate)
        {
            result = Store(state, data).Result(id, index, DateTime.UtcNow);
        }

        if (result is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = result.Length;
        await context.Response.Body.WriteAsync(result, context.RequestAborted).ConfigureAwait(false);
    }

    private static string Sign(string tenant, string id, int index, string expires)
    {
        var mac = HMACSHA256.HashData(LinkKey, Encoding.UTF8.GetBytes($"{tenant}|{id}|{index.ToString(CultureInfo.InvariantCulture)}|{expires}"));
        return Convert.ToBase64String(mac);
    }

    private static async Task ListLibraryAsync(HttpContext context, EmulatorState state)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Library.Manage").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        JsonArray files;
        lock (data.Gate)
        {
            files = [.. Library(state, data).All.Select(f => (JsonNode)LiveResponseLibrary.ToJson(f))];
        }

        await context.Response.WriteAsJsonAsync(new JsonObject { ["@odata.context"] = "https://api.security.microsoft.com/api/$metadata#LibraryFiles", ["value"] = files }).ConfigureAwait(false);
    }

    // Parsed as the service documents it: multipart/form-data with a file part (File; the curl sample sends "file") and
    // the text fields Description, ParametersDescription, HasParameters and OverrideIfExists. A body that is not such a
    // form, a missing or empty file, a file over 20 MB or a boolean field that is not true/false is a 400 in the common
    // error shape; so is a name already in the library without OverrideIfExists (undocumented, defender-api §3.8).
    private static async Task UploadAsync(HttpContext context, EmulatorState state)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Library.Manage").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        if (!context.Request.HasFormContentType || !context.Request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            await ApiErrors.WriteAsync(context, 400, "InvalidRequestBody", "The body must be multipart/form-data with a File part.").ConfigureAwait(false);
            return;
        }

        // Room for a file just over the cap, so it is refused with the service's 400 rather than the web server's 413.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = 2L * LiveResponseLibrary.MaxBytes;
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            await ApiErrors.WriteAsync(context, 400, "InvalidRequestBody", "The multipart body could not be read.").ConfigureAwait(false);
            return;
        }

        var file = form.Files.GetFile("File") ?? form.Files.GetFile("file");
        if (file is null || file.Length == 0 || string.IsNullOrWhiteSpace(Path.GetFileName(file.FileName)))
        {
            await ApiErrors.WriteAsync(context, 400, "InvalidRequestBody", "File is required.").ConfigureAwait(false);
            return;
        }

        if (file.Length > LiveResponseLibrary.MaxBytes)
        {
            await ApiErrors.WriteAsync(context, 400, "InvalidRequestBody", "The file is larger than 20 MB.").ConfigureAwait(false);
            return;
        }

        var overwrite = Flag(form, "OverrideIfExists");
        var flagged = Flag(form, "HasParameters");
        if (overwrite is null || flagged is null)
        {
            await ApiErrors.WriteAsync(context, 400, "InvalidRequestBody", "HasParameters and OverrideIfExists must be true or false.").ConfigureAwait(false);
            return;
        }

        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, context.RequestAborted).ConfigureAwait(false);
        }

        var name = Path.GetFileName(file.FileName);
        string? description = form["Description"].ToString() is { Length: > 0 } d ? d : null;
        string? parameters = form["ParametersDescription"].ToString() is { Length: > 0 } p ? p : null;
        JsonObject? entity = null;
        lock (data.Gate)
        {
            var library = Library(state, data);
            if (library.Find(name) is null || overwrite == true)
            {
                entity = LiveResponseLibrary.ToJson(library.Put(name, content, description, flagged == true || parameters is not null, parameters, context.Items["appId"] as string ?? "app", DateTime.UtcNow));
            }
        }

        if (entity is null)
        {
            await ApiErrors.WriteAsync(context, 400, "FileAlreadyExists", "A library file with this name exists; set OverrideIfExists to replace it.").ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(entity).ConfigureAwait(false);
    }

    // An absent or empty boolean field is false (the documented default is "an empty string"); anything else must parse.
    private static bool? Flag(IFormCollection form, string name) =>
        form[name].ToString() is not { Length: > 0 } text ? false : bool.TryParse(text, out var value) ? value : null;

    private static async Task DeleteAsync(HttpContext context, EmulatorState state, string name)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Library.Manage").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        bool removed;
        lock (data.Gate)
        {
            removed = Library(state, data).Remove(name);
        }

        if (!removed)
        {
            await ApiErrors.WriteAsync(context, 404, "ResourceNotFound", "Library file was not found.").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 204;
    }
}
